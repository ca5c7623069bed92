import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, OPERATION_NAMES } from '../../../main/api/contract.js';
import { chipPath } from '../../../main/api/protocol.js';
import { BRIDGE_EVENT_NAMES, BRIDGE_OPERATION_NAMES } from '../../../electron/bridge-names.js';
import { decodeBridgeError, type AuraBridge } from '../../../electron/preload-api.js';
import { fake } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let aura: AuraBridge;
beforeAll(async () => {
  await import('../../../electron/preload.js');
  aura = fake.exposed.get('aura') as AuraBridge;
});
beforeEach(() => {
  fake.invoke.mockReset();
  fake.rendererEvents.removeAllListeners();
});

describe('preload bridge', () => {
  it('allowlists exactly the contract operations and events', () => {
    expect([...BRIDGE_OPERATION_NAMES]).toEqual(OPERATION_NAMES);
    expect([...BRIDGE_EVENT_NAMES]).toEqual([...EVENT_NAMES]);
  });

  it('exposes exactly window.aura with call, on, chipUrl and pickFolder', () => {
    expect([...fake.exposed.keys()]).toEqual(['aura']);
    expect(Object.keys(aura).sort()).toEqual(['call', 'chipUrl', 'on', 'pickFolder']);
  });

  it('invokes only allowlisted operations, on their own channel', async () => {
    fake.invoke.mockResolvedValueOnce({ ok: true, value: { total: 0, offset: 0, items: [] } });
    await expect(aura.call('runs.list', { datasetId: 1 })).resolves.toEqual({ total: 0, offset: 0, items: [] });
    expect(fake.invoke.mock.calls).toEqual([['api:runs.list', { datasetId: 1 }]]);
    for (const op of ['shell.exec', 'constructor', '__proto__', 'toString']) {
      const error = await aura.call(op as never, {} as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(decodeBridgeError(error)).toEqual({ code: 'unknownOperation', message: `Unknown operation: ${op}` });
    }
    expect(fake.invoke).toHaveBeenCalledTimes(1);
    for (const op of OPERATION_NAMES) {
      fake.invoke.mockResolvedValueOnce({ ok: true, value: op });
      await expect(aura.call(op, {} as never)).resolves.toBe(op);
    }
    expect(fake.invoke.mock.calls.slice(1).map((c) => c[0])).toEqual(OPERATION_NAMES.map((op) => `api:${op}`));
  });

  it('rethrows {code, message} as an Error that keeps its code through the context bridge', async () => {
    fake.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'notFound', message: 'Run 9 does not exist' } });
    const error = (await aura.call('runs.get', { runId: 9 }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('notFound');
    expect(error.message).toBe('[notFound] Run 9 does not exist');
    // contextBridge copies only the message into the page: the code must survive that.
    expect(decodeBridgeError(new Error(error.message))).toEqual({ code: 'notFound', message: 'Run 9 does not exist' });
    expect(decodeBridgeError(new Error('plain failure'))).toEqual({ code: 'failed', message: 'plain failure' });
    expect(decodeBridgeError(new Error('[weird] x'))).toEqual({ code: 'failed', message: '[weird] x' });
  });

  it('subscribes only to service events and menu, passing the payload alone, with unsubscribe', () => {
    const got: unknown[] = [];
    const off = aura.on('job', (payload) => got.push(payload));
    aura.on('menu', (payload) => got.push(payload));
    fake.rendererEvents.emit('event:job', { sender: 'secret' }, { id: 'j1' });
    fake.rendererEvents.emit('menu', { sender: 'secret' }, { action: 'importFolder' });
    expect(got).toEqual([{ id: 'j1' }, { action: 'importFolder' }]);
    off();
    fake.rendererEvents.emit('event:job', {}, { id: 'j2' });
    expect(got).toHaveLength(2);
    expect(fake.rendererEvents.listenerCount('event:job')).toBe(0);
    for (const name of ['api:runs.list', 'event:job', 'ipc', 'dialog:openFolder']) {
      expect(() => aura.on(name as never, () => undefined)).toThrow(`Unknown event: ${name}`);
    }
    expect(fake.rendererEvents.eventNames().sort()).toEqual(['menu']);
  });

  it('builds chip:// URLs with the shared chip path', () => {
    const ref = { kind: 'sample' as const, datasetId: 3, key: 'BMP2/a b.jpg', stretch: 'db' as const };
    expect(aura.chipUrl(ref)).toBe(`chip://${chipPath(ref)}`);
    expect(aura.chipUrl(ref)).toBe('chip://sample/3?key=BMP2%2Fa+b.jpg&stretch=db');
  });

  it('asks the main process for a folder and returns only strings', async () => {
    fake.invoke.mockResolvedValueOnce('/data/chips').mockResolvedValueOnce(null).mockResolvedValueOnce({ path: '/x' });
    expect(await aura.pickFolder()).toBe('/data/chips');
    expect(await aura.pickFolder()).toBeNull();
    expect(await aura.pickFolder()).toBeNull();
    expect(fake.invoke.mock.calls).toEqual([['dialog:openFolder'], ['dialog:openFolder'], ['dialog:openFolder']]);
  });
});
