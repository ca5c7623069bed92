/**
 * A recording stand-in for the 'electron' module (the binary is not installed here). Tests use it
 * through `vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule)`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (...args: any[]) => any;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly send = vi.fn();
  windowOpenHandler: Handler | null = null;
  destroyed = false;
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  isDestroyed() {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loadFile = vi.fn(async (_path: string) => undefined);
  readonly loadURL = vi.fn(async (_url: string) => undefined);
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  constructor(readonly options: Record<string, any>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
}

export class FakeSession {
  permissionRequestHandler: Handler | null = null;
  permissionCheckHandler: Handler | null = null;
  devicePermissionHandler: Handler | null = null;
  spellChecker = true;
  beforeRequest: Handler | null = null;
  headersReceived: Handler | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: Handler) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: Handler) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: Handler) {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler) {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Handler) {
    this.devicePermissionHandler = handler;
  }
  setSpellCheckerEnabled(on: boolean) {
    this.spellChecker = on;
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  gotLock = true;
  readonly paths = new Map<string, string>([
    ['appData', '/fake/appData'],
    ['userData', '/fake/appData/Electron'],
  ]);
  private resolveReady: () => void = () => undefined;
  private readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));
  readonly enableSandbox = vi.fn();
  readonly setName = vi.fn();
  readonly setAppUserModelId = vi.fn();
  readonly setAboutPanelOptions = vi.fn();
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.gotLock);
  getPath(name: string) {
    const p = this.paths.get(name);
    if (!p) throw new Error(`fake app: no path ${name}`);
    return p;
  }
  setPath(name: string, value: string) {
    this.paths.set(name, value);
  }
  getAppPath() {
    return '/fake/app';
  }
  getVersion() {
    return '0.1.0';
  }
  whenReady() {
    return this.readyPromise;
  }
  emitReady() {
    this.resolveReady();
    this.emit('ready');
  }
}

export const fake = {
  app: new FakeApp(),
  session: new FakeSession(),
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, Handler>(),
  ipcHandlers: new Map<string, Handler>(),
  exposed: new Map<string, unknown>(),
  rendererEvents: new EventEmitter(),
  invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined),
  menuTemplate: null as unknown[] | null,
  showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
  showErrorBox: vi.fn(),
  fork: vi.fn(),
};

export const electronModule = {
  app: fake.app,
  BrowserWindow: FakeBrowserWindow,
  session: {
    get defaultSession() {
      return fake.session;
    },
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
    handle: (scheme: string, handler: Handler) => fake.protocolHandlers.set(scheme, handler),
  },
  ipcMain: {
    handle: (channel: string, handler: Handler) => {
      if (fake.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      fake.ipcHandlers.set(channel, handler);
    },
    removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
  },
  Menu: {
    buildFromTemplate: (template: unknown[]) => ({ template }),
    setApplicationMenu: (menu: { template: unknown[] }) => {
      fake.menuTemplate = menu.template;
    },
  },
  dialog: {
    showOpenDialog: (...args: unknown[]) => fake.showOpenDialog(...args),
    showErrorBox: (...args: unknown[]) => fake.showErrorBox(...args),
  },
  utilityProcess: { fork: (...args: unknown[]) => fake.fork(...args) },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => fake.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => fake.invoke(channel, ...args),
    on: (channel: string, listener: Handler) => fake.rendererEvents.on(channel, listener),
    removeListener: (channel: string, listener: Handler) => fake.rendererEvents.removeListener(channel, listener),
  },
};
export default electronModule;
