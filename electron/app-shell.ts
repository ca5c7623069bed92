/**
 * The desktop shell's lifecycle: single instance, secure session and window, chip:// protocol,
 * IPC, menu, and the app service (created with utility-process job workers). No domain logic.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session } from 'electron';
import { CHIP_SCHEME } from '../main/api/protocol.js';
import type { AppService, AppServiceOptions } from '../main/api/service-types.js';
import { MENU_CHANNEL } from './channels.js';
import { CHIP_SCHEME_PRIVILEGES, createChipHandler } from './chip-protocol.js';
import { APP_ID, PRODUCT_NAME } from './identity.js';
import { forwardServiceEvents, registerIpcHandlers } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { iconPathFor, resolveDataDir, resolveShellPaths } from './paths.js';
import type { MenuCommand } from './preload-api.js';
import { createTrustPolicy, devServerOriginFrom } from './security-policy.js';
import { createUtilitySpawner } from './utility-spawner.js';
import { createMainWindow, guardSession, guardWebContents } from './window.js';


export interface ShellDeps {
  createAppService: (options: AppServiceOptions) => Promise<AppService>;
  /** Folder of the built main bundle (out/electron). */
  mainDir: string;
  env?: NodeJS.ProcessEnv;
}

export interface ShellHandle {
  /** Resolves once the service is up and the window created (rejects on a startup failure). */
  ready: Promise<void>;
  mainWindow(): BrowserWindow | null;
  service(): AppService | null;
}

export function startDesktopApp({ createAppService, mainDir, env = process.env }: ShellDeps): ShellHandle {
  let mainWindow: BrowserWindow | null = null;
  let service: AppService | null = null;
  const handle: ShellHandle = { ready: Promise.resolve(), mainWindow: () => mainWindow, service: () => service };

  // Before 'ready': privileged scheme, sandbox everywhere, stable data folder in dev and packaged.
  protocol.registerSchemesAsPrivileged([CHIP_SCHEME_PRIVILEGES]);
  app.enableSandbox();
  app.setName(PRODUCT_NAME);
  app.setPath('userData', path.join(app.getPath('appData'), PRODUCT_NAME));
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return handle;
  }

  const isDev = !app.isPackaged;
  const rendererUrl = env.ELECTRON_RENDERER_URL;
  const devServerOrigin = devServerOriginFrom(rendererUrl, app.isPackaged);

  const send = (command: MenuCommand) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(MENU_CHANNEL, command);
  };
  const focusWindow = () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };
  app.on('second-instance', focusWindow);

  let openWindow: () => void = () => undefined;

  const start = async () => {
    const paths = resolveShellPaths(mainDir, iconPathFor(app.isPackaged, process.resourcesPath, app.getAppPath()));
    const policy = createTrustPolicy(paths.rendererIndex, devServerOrigin, process.platform);
    guardSession(session.defaultSession, policy);
    app.on('web-contents-created', (_event, contents) => guardWebContents(contents, policy));

    const svc = await createAppService({ dataDir: resolveDataDir(env, app.getPath('userData')), spawner: createUtilitySpawner() });
    service = svc;
    protocol.handle(CHIP_SCHEME, createChipHandler((ref) => svc.chipImage(ref)));
    registerIpcHandlers(ipcMain, {
      service: svc,
      policy,
      mainWebContentsId: () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.id : null),
      openFolder: async () => {
        const options = { title: 'Choose a folder of chips', properties: ['openDirectory', 'dontAddToRecent'] as ('openDirectory' | 'dontAddToRecent')[] };
        const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return result.canceled || !result.filePaths[0] ? null : result.filePaths[0];
      },
    });
    forwardServiceEvents(svc, () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : null));

    app.setAboutPanelOptions({
      applicationName: PRODUCT_NAME,
      applicationVersion: app.getVersion(),
      copyright: 'Offline SAR chip classification with AURA-KD knowledge distillation',
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ isMac: process.platform === 'darwin', isDev, appName: PRODUCT_NAME, send })));

    openWindow = () => {
      const win = createMainWindow({ preloadPath: paths.preload, isDev, title: PRODUCT_NAME, icon: paths.icon ?? undefined });
      mainWindow = win;
      win.on('closed', () => {
        if (mainWindow === win) mainWindow = null;
      });
      void (devServerOrigin && rendererUrl ? win.loadURL(rendererUrl) : win.loadFile(paths.rendererIndex));
    };
    openWindow();
  };

  app.on('activate', () => {
    if (!mainWindow && service) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let closed = false;
  let closing = false;
  app.on('will-quit', (event) => {
    if (closed || !service) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    service
      .close()
      .catch((error: unknown) => console.error(`Closing the app service failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  handle.ready = app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox(`${PRODUCT_NAME} could not start`, message);
      app.exit(1);
      throw error;
    });
  return handle;
}
