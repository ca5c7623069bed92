import { describe, expect, it } from 'vitest';
import { createBridgeClient } from '../../../renderer/src/api/bridgeClient.js';
import type { AuraBridge } from '../../../renderer/src/api/bridgeClient.js';

function bridge(overrides: Partial<AuraBridge> = {}): AuraBridge & { subscribed: string[] } {
  const subscribed: string[] = [];
  return {
    subscribed,
    call: async (op) => ({ op }),
    on: (event) => {
      subscribed.push(event);
      return () => undefined;
    },
    chipUrl: (ref) => `chip://${ref.kind}/${ref.key}`,
    pickFolder: async () => '/picked',
    ...overrides,
  };
}

describe('bridge client', () => {
  it('passes calls, events, chip URLs and the folder picker through', async () => {
    const b = bridge();
    const client = createBridgeClient(b);
    expect(client.mode).toBe('desktop');
    await expect(client.call('datasets.list', {})).resolves.toEqual({ op: 'datasets.list' });
    client.on('job', () => undefined);
    client.onMenu(() => undefined);
    expect(b.subscribed).toEqual(['job', 'menu']);
    expect(client.chipUrl({ kind: 'sample', datasetId: 1, key: 'k' })).toBe('chip://sample/k');
    await expect(client.pickFolder!()).resolves.toBe('/picked');
  });

  it('recovers the error code the preload encodes in the message', async () => {
    const client = createBridgeClient(
      bridge({
        call: async () => {
          throw new Error('[notFound] Run 7 does not exist');
        },
      }),
    );
    await expect(client.call('runs.get', { runId: 7 })).rejects.toMatchObject({ code: 'notFound', message: 'Run 7 does not exist' });
  });
});
