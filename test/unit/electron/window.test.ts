import { describe, expect, it, vi } from 'vitest';
import { createMainWindow, guardSession, guardWebContents, secureWebPreferences } from '../../../electron/window.js';
import { createTrustPolicy } from '../../../electron/security-policy.js';
import { FakeBrowserWindow, FakeSession, FakeWebContents } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).electronModule);

const policy = createTrustPolicy('/app/out/renderer/index.html', null, 'linux');
const APP_URL = 'file:///app/out/renderer/index.html';

function navEvent() {
  return { preventDefault: vi.fn() };
}

describe('main window', () => {
  it('uses the secure webPreferences and the default size', () => {
    const win = createMainWindow({ preloadPath: '/app/out/preload/preload.cjs', isDev: false, title: 'AURA-KD SAR', icon: '/r/icon.png' });
    const options = (win as unknown as FakeBrowserWindow).options;
    expect(options).toMatchObject({ width: 1280, height: 800, minWidth: 960, minHeight: 600, title: 'AURA-KD SAR', show: false, icon: '/r/icon.png' });
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs',
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
      devTools: false,
    });
    (win as unknown as FakeBrowserWindow).emit('ready-to-show');
    expect((win as unknown as FakeBrowserWindow).show).toHaveBeenCalledTimes(1);
  });

  it('allows DevTools only in development', () => {
    expect(secureWebPreferences('/p.cjs', true).devTools).toBe(true);
    expect(secureWebPreferences('/p.cjs', false).devTools).toBe(false);
  });
});

describe('web contents guards', () => {
  it('denies new windows and webviews', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never, policy);
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: APP_URL })).toEqual({ action: 'deny' });
    const attach = navEvent();
    contents.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('blocks navigation and redirects away from the app', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never, policy);
    for (const [name, url] of [
      ['will-navigate', 'https://example.com/'],
      ['will-navigate', 'file:///etc/passwd'],
      ['will-redirect', 'http://localhost:5173/'],
    ]) {
      const e = navEvent();
      contents.emit(name, e, url);
      expect(e.preventDefault, `${name} ${url}`).toHaveBeenCalledTimes(1);
    }
    const reload = navEvent();
    contents.emit('will-navigate', reload, `${APP_URL}#/runs`);
    expect(reload.preventDefault).not.toHaveBeenCalled();
  });
});

describe('session guards', () => {
  it('denies every permission request and check, and devices', () => {
    const session = new FakeSession();
    guardSession(session as never, policy);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen']) {
      const callback = vi.fn();
      session.permissionRequestHandler!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheckHandler!({}, permission, APP_URL, {})).toBe(false);
    }
    expect(session.devicePermissionHandler!({ deviceType: 'usb' })).toBe(false);
    expect(session.spellChecker).toBe(false);
  });

  it('cancels non-local requests and adds the CSP to responses', () => {
    const session = new FakeSession();
    guardSession(session as never, policy);
    const decide = (url: string) => {
      let response: unknown;
      session.beforeRequest!({ url }, (r: unknown) => (response = r));
      return response;
    };
    expect(decide('https://example.com/track.js')).toEqual({ cancel: true });
    expect(decide('http://localhost:5173/')).toEqual({ cancel: true });
    expect(decide('chip://sample/1?key=a')).toEqual({ cancel: false });
    expect(decide(`${APP_URL}`)).toEqual({ cancel: false });
    let headers: { responseHeaders: Record<string, string[]> } | undefined;
    session.headersReceived!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r: typeof headers) => (headers = r));
    expect(headers!.responseHeaders['Content-Type']).toEqual(['text/html']);
    expect(headers!.responseHeaders['Content-Security-Policy'][0]).toMatch(/^default-src 'none'; script-src 'self';/);
  });
});
