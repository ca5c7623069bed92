/** The main window with secure defaults, and the guards every web contents and the session get. */
import { BrowserWindow, type BrowserWindowConstructorOptions, type Session, type WebContents, type WebPreferences } from 'electron';
import { contentSecurityPolicy, isAllowedRequestUrl, isTrustedAppUrl, withCspHeader, type TrustPolicy } from './security-policy.js';

export const WINDOW_SIZE = { width: 1280, height: 800, minWidth: 960, minHeight: 600 } as const;

export function secureWebPreferences(preloadPath: string, isDev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: isDev,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  isDev: boolean;
  title: string;
  icon?: string;
}

export function mainWindowOptions({ preloadPath, isDev, title, icon }: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    ...WINDOW_SIZE,
    title,
    show: false,
    backgroundColor: '#0f1720',
    ...(icon ? { icon } : {}),
    webPreferences: secureWebPreferences(preloadPath, isDev),
  };
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(options));
  win.once('ready-to-show', () => win.show());
  return win;
}

/** Deny new windows, webviews and navigation away from the app, for any web contents. */
export function guardWebContents(contents: WebContents, policy: TrustPolicy): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedAppUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedAppUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Deny every permission and device, block non-local requests, and set the CSP on responses. */
export function guardSession(session: Session, policy: TrustPolicy): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequestUrl(details.url, policy) });
  });
  const csp = contentSecurityPolicy(policy.devServerOrigin);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCspHeader(details.responseHeaders, csp) });
  });
}
