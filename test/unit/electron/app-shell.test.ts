import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENT_NAMES, OPERATION_NAMES, type ApiEvents, type EventName } from '../../../main/api/contract.js';
import type { AppService, AppServiceOptions } from '../../../main/api/service-types.js';
import { startDesktopApp } from '../../../electron/app-shell.js';
import { PRODUCT_NAME } from '../../../electron/identity.js';
import { fake, FakeBrowserWindow } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

let root: string;
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function fakeService() {
  const listeners = new Map<EventName, (payload: unknown) => void>();
  const service = {
    call: vi.fn(async () => []),
    on: vi.fn(<E extends EventName>(name: E, listener: (payload: ApiEvents[E]) => void) => {
      listeners.set(name, listener as (payload: unknown) => void);
      return () => listeners.delete(name);
    }),
    chipImage: vi.fn(async () => PNG_BYTES),
    paths: { dataDir: '/d', database: '/d/db' },
    close: vi.fn(async () => undefined),
  };
  return { service: service as unknown as AppService & typeof service, listeners };
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'aura-shell-'));
  mkdirSync(path.join(root, 'out', 'electron'), { recursive: true });
  mkdirSync(path.join(root, 'out', 'preload'), { recursive: true });
  writeFileSync(path.join(root, 'out', 'preload', 'preload.cjs'), '');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('startDesktopApp', () => {
  it('quits at once when another instance holds the lock, after registering the chip scheme', () => {
    fake.app.gotLock = false;
    const create = vi.fn();
    startDesktopApp({ createAppService: create, mainDir: path.join(root, 'out', 'electron'), env: {} });
    expect(fake.app.quit).toHaveBeenCalledTimes(1);
    expect(fake.schemes).toEqual([{ scheme: 'chip', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(fake.app.listenerCount('second-instance')).toBe(0);
    expect(create).not.toHaveBeenCalled();
    fake.app.gotLock = true;
    fake.app.quit.mockClear();
    fake.schemes.length = 0;
  });

  it('wires service, protocol, IPC, menu, window and events once ready', async () => {
    const { service, listeners } = fakeService();
    let options: AppServiceOptions | undefined;
    const create = vi.fn(async (o: AppServiceOptions) => {
      options = o;
      return service;
    });
    const shell = startDesktopApp({
      createAppService: create,
      mainDir: path.join(root, 'out', 'electron'),
      env: { AURA_KD_DATA_DIR: path.join(root, 'data') },
    });
    // Before ready: privileged scheme, global sandbox, stable userData, single-instance lock.
    expect(fake.schemes).toHaveLength(1);
    expect(fake.app.enableSandbox).toHaveBeenCalled();
    expect(fake.app.getPath('userData')).toBe(path.join('/fake/appData', PRODUCT_NAME));
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(create).not.toHaveBeenCalled();

    fake.app.emitReady();
    await shell.ready;

    expect(options?.dataDir).toBe(path.join(root, 'data'));
    expect(typeof options?.spawner).toBe('function');
    // Session guarded before any window exists.
    expect(fake.session.permissionCheckHandler!({}, 'media', '', {})).toBe(false);
    // Exactly one handler per operation plus the dialog.
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...OPERATION_NAMES.map((op) => `api:${op}`), 'dialog:openFolder'].sort());

    const [win] = FakeBrowserWindow.instances;
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.options.webPreferences.preload).toBe(path.join(root, 'out', 'preload', 'preload.cjs'));
    expect(win.options.webPreferences.sandbox).toBe(true);
    expect(win.loadFile).toHaveBeenCalledWith(path.join(root, 'out', 'renderer', 'index.html'));
    expect(win.loadURL).not.toHaveBeenCalled();
    expect(shell.mainWindow()).toBe(win);

    // A call from the window reaches the service; one from elsewhere does not.
    const appUrl = `file://${path.join(root, 'out', 'renderer', 'index.html')}#/`;
    const ok = await fake.ipcHandlers.get('api:datasets.list')!({ sender: { id: win.webContents.id }, senderFrame: { url: appUrl, parent: null } }, {});
    expect(ok).toEqual({ ok: true, value: [] });
    await expect(
      fake.ipcHandlers.get('api:datasets.list')!({ sender: { id: win.webContents.id + 100 }, senderFrame: { url: appUrl, parent: null } }, {}),
    ).rejects.toThrow('sender is not the main window');
    expect(service.call).toHaveBeenCalledTimes(1);

    // chip:// served from the service.
    const chip = await fake.protocolHandlers.get('chip')!(new Request('chip://sample/2?key=a.png'));
    expect(chip.status).toBe(200);
    expect(service.chipImage).toHaveBeenCalledWith({ kind: 'sample', datasetId: 2, key: 'a.png', stretch: undefined });

    // Service events reach the window; the menu sends commands on 'menu'.
    expect([...listeners.keys()]).toEqual([...EVENT_NAMES]);
    listeners.get('run')!({ runId: 1, status: 'running' });
    expect(win.webContents.send).toHaveBeenCalledWith('event:run', { runId: 1, status: 'running' });
    const file = (fake.menuTemplate as { label?: string; submenu?: { id?: string; click?: () => void }[] }[]).find((m) => m.label === '&File')!;
    file.submenu!.find((i) => i.id === 'import-folder')!.click!();
    expect(win.webContents.send).toHaveBeenCalledWith('menu', { action: 'importFolder' });

    // Folder dialog is parented to the window; a cancel gives null.
    fake.showOpenDialog.mockResolvedValueOnce({ canceled: false, filePaths: ['/chips/mstar'] });
    const picked = await fake.ipcHandlers.get('dialog:openFolder')!({ sender: { id: win.webContents.id }, senderFrame: { url: appUrl, parent: null } });
    expect(picked).toBe('/chips/mstar');
    expect(fake.showOpenDialog.mock.calls[0][0]).toBe(win);

    // Any later web contents gets the guards too.
    const other = new (await import('./fake-electron.js')).FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });

    // Quitting closes the service first, then quits.
    const quitEvent = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1));
    expect(service.close).toHaveBeenCalledTimes(1);
    const second = { preventDefault: vi.fn() };
    fake.app.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});
