import { describe, expect, it, vi } from 'vitest';
import { ApiError, EVENT_NAMES, OPERATION_NAMES, type ApiEvents, type EventName } from '../../../main/api/contract.js';
import { forwardServiceEvents, handleApiCall, registerIpcHandlers, senderFacts, type IpcDeps } from '../../../electron/ipc.js';
import { createTrustPolicy } from '../../../electron/security-policy.js';

const policy = createTrustPolicy('/app/out/renderer/index.html', null, 'linux');
const APP_URL = 'file:///app/out/renderer/index.html#/datasets';
const MAIN_ID = 4;

function setup(callImpl: (op: string, input: unknown) => Promise<unknown> = async () => ({ ok: 1 })) {
  const handlers = new Map<string, (...args: any[]) => any>();
  const ipcMain = {
    handle: vi.fn((channel: string, fn: (...args: any[]) => any) => {
      if (handlers.has(channel)) throw new Error(`duplicate ${channel}`);
      handlers.set(channel, fn);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
  const call = vi.fn(callImpl);
  const openFolder = vi.fn(async () => '/data/chips');
  const deps: IpcDeps = { service: { call: call as never }, policy, mainWebContentsId: () => MAIN_ID, openFolder };
  const unregister = registerIpcHandlers(ipcMain, deps);
  return { handlers, ipcMain, call, openFolder, deps, unregister };
}

const mainFrame = { url: APP_URL, parent: null };
function event(senderId = MAIN_ID, frame: { url: string; parent: unknown } | null = mainFrame) {
  return { sender: { id: senderId }, senderFrame: frame };
}

describe('registerIpcHandlers', () => {
  it('registers exactly one api channel per operation plus the folder dialog, and removes them', () => {
    const { handlers, ipcMain, unregister } = setup();
    const expected = [...OPERATION_NAMES.map((op) => `api:${op}`), 'dialog:openFolder'];
    expect([...handlers.keys()].sort()).toEqual(expected.sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(OPERATION_NAMES.length + 1);
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('accepts a valid call from the main window and passes the validated request', async () => {
    const { handlers, call } = setup(async () => [{ id: 1 }]);
    const result = await handlers.get('api:runs.list')!(event(), { datasetId: 2 });
    expect(result).toEqual({ ok: true, value: [{ id: 1 }] });
    expect(call).toHaveBeenCalledTimes(1);
    // Defaults filled by the schema before the service sees the request.
    expect(call.mock.calls[0]).toEqual(['runs.list', { datasetId: 2, sortBy: 'createdAt', sortDir: 'desc', offset: 0, limit: 100 }]);
  });

  it('rejects an unknown sender without calling the service', async () => {
    const { handlers, call } = setup();
    await expect(handlers.get('api:runs.list')!(event(99), {})).rejects.toThrow('Blocked IPC on api:runs.list: sender is not the main window');
    expect(call).not.toHaveBeenCalled();
  });

  it('rejects a foreign frame URL and a sub-frame without calling the service', async () => {
    const { handlers, call } = setup();
    await expect(handlers.get('api:datasets.list')!(event(MAIN_ID, { url: 'https://evil.example/', parent: null }), {})).rejects.toThrow(
      'sender frame https://evil.example/ is not the app',
    );
    await expect(handlers.get('api:datasets.list')!(event(MAIN_ID, { url: APP_URL, parent: mainFrame }), {})).rejects.toThrow('sender is a sub-frame');
    await expect(handlers.get('api:datasets.list')!(event(MAIN_ID, null), {})).rejects.toThrow('is not the app');
    expect(call).not.toHaveBeenCalled();
  });

  it('answers a bad payload with an invalid error and never calls the service', async () => {
    const { handlers, call } = setup();
    const wrongType = await handlers.get('api:runs.get')!(event(), { runId: 'seven' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect((wrongType as { error: { message: string } }).error.message).toMatch(/^runs\.get: runId: /);
    const extraKey = await handlers.get('api:runs.get')!(event(), { runId: 3, sql: 'drop table runs' });
    expect(extraKey).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const missing = await handlers.get('api:runs.get')!(event(), undefined);
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(call).not.toHaveBeenCalled();
  });

  it('serialises service errors as {code, message}', async () => {
    const { handlers } = setup(async (op) => {
      if (op === 'runs.get') throw new ApiError('notFound', 'Run 3 does not exist');
      throw new TypeError('boom');
    });
    expect(await handlers.get('api:runs.get')!(event(), { runId: 3 })).toEqual({ ok: false, error: { code: 'notFound', message: 'Run 3 does not exist' } });
    expect(await handlers.get('api:datasets.list')!(event(), {})).toEqual({ ok: false, error: { code: 'failed', message: 'boom' } });
  });

  it('guards the folder dialog channel the same way', async () => {
    const { handlers, openFolder } = setup();
    await expect(handlers.get('dialog:openFolder')!(event(12))).rejects.toThrow('Blocked IPC on dialog:openFolder');
    expect(openFolder).not.toHaveBeenCalled();
    expect(await handlers.get('dialog:openFolder')!(event())).toBe('/data/chips');
    expect(openFolder).toHaveBeenCalledTimes(1);
  });

  it('rejects everything while there is no main window', async () => {
    const { deps, call } = setup();
    const facts = senderFacts(event() as never);
    await expect(handleApiCall('datasets.list', facts, {}, { ...deps, mainWebContentsId: () => null })).rejects.toThrow('sender is not the main window');
    expect(call).not.toHaveBeenCalled();
  });
});

describe('forwardServiceEvents', () => {
  it('sends every service event to the window as event:<name> and stops on unsubscribe', () => {
    const listeners = new Map<EventName, (payload: unknown) => void>();
    const offs: string[] = [];
    const service = {
      on: <E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void) => {
        listeners.set(name, listener as (payload: unknown) => void);
        return () => offs.push(name);
      },
    };
    const send = vi.fn();
    let destroyed = false;
    const off = forwardServiceEvents(service, () => ({ send, isDestroyed: () => destroyed }));
    expect([...listeners.keys()]).toEqual([...EVENT_NAMES]);
    listeners.get('run')!({ runId: 5, status: 'done' });
    listeners.get('dataset')!({ datasetId: 2 });
    expect(send.mock.calls).toEqual([
      ['event:run', { runId: 5, status: 'done' }],
      ['event:dataset', { datasetId: 2 }],
    ]);
    destroyed = true;
    listeners.get('job')!({ id: 'x' });
    expect(send).toHaveBeenCalledTimes(2);
    off();
    expect(offs).toEqual([...EVENT_NAMES]);
  });
});
