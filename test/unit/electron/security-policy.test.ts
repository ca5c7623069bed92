import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  createTrustPolicy,
  devServerOriginFrom,
  isAllowedRequestUrl,
  isTrustedAppUrl,
  senderRejection,
  withCspHeader,
} from '../../../electron/security-policy.js';

const INDEX = '/opt/AURA-KD SAR/resources/app.asar/out/renderer/index.html';
const packaged = createTrustPolicy(INDEX, null, 'linux');
const dev = createTrustPolicy(INDEX, 'http://localhost:5173', 'linux');

describe('devServerOriginFrom', () => {
  it('accepts only loopback http, only when not packaged', () => {
    expect(devServerOriginFrom('http://localhost:5173/', false)).toBe('http://localhost:5173');
    expect(devServerOriginFrom('http://127.0.0.1:5174/index.html', false)).toBe('http://127.0.0.1:5174');
    expect(devServerOriginFrom('http://localhost:5173/', true)).toBeNull();
    expect(devServerOriginFrom('http://example.com:5173/', false)).toBeNull();
    expect(devServerOriginFrom('https://localhost:5173/', false)).toBeNull();
    expect(devServerOriginFrom('not a url', false)).toBeNull();
    expect(devServerOriginFrom(undefined, false)).toBeNull();
  });
});

describe('isTrustedAppUrl', () => {
  it('accepts the renderer index with any hash or query, nothing else', () => {
    expect(packaged.rendererIndexUrl).toBe('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/index.html');
    expect(isTrustedAppUrl(packaged.rendererIndexUrl, packaged)).toBe(true);
    expect(isTrustedAppUrl(`${packaged.rendererIndexUrl}#/runs/3`, packaged)).toBe(true);
    expect(isTrustedAppUrl(`${packaged.rendererIndexUrl}?x=1`, packaged)).toBe(true);
    expect(isTrustedAppUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/other.html', packaged)).toBe(false);
    expect(isTrustedAppUrl('file:///tmp/evil/index.html', packaged)).toBe(false);
    expect(isTrustedAppUrl('file://remotehost/opt/AURA-KD%20SAR/resources/app.asar/out/renderer/index.html', packaged)).toBe(false);
    expect(isTrustedAppUrl('https://example.com/', packaged)).toBe(false);
    expect(isTrustedAppUrl('http://localhost:5173/', packaged)).toBe(false);
    expect(isTrustedAppUrl(null, packaged)).toBe(false);
    expect(isTrustedAppUrl('::', packaged)).toBe(false);
  });

  it('rejects path tricks that normalise elsewhere', () => {
    expect(isTrustedAppUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/../renderer/index.html', packaged)).toBe(true);
    expect(isTrustedAppUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/x/../../index.html', packaged)).toBe(false);
  });

  it('compares case-insensitively on Windows', () => {
    const win = createTrustPolicy('/C:/Program Files/AURA/out/renderer/index.html', null, 'win32');
    expect(isTrustedAppUrl('file:///c:/program%20files/aura/out/renderer/INDEX.html', win)).toBe(true);
    expect(isTrustedAppUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/INDEX.html', packaged)).toBe(false);
  });

  it('in development trusts exactly the dev server origin', () => {
    expect(isTrustedAppUrl('http://localhost:5173/#/datasets', dev)).toBe(true);
    expect(isTrustedAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isTrustedAppUrl('https://localhost:5173/', dev)).toBe(false);
  });
});

describe('isAllowedRequestUrl', () => {
  it('allows local content only', () => {
    expect(isAllowedRequestUrl(`${packaged.rendererIndexUrl}`, packaged)).toBe(true);
    expect(isAllowedRequestUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/assets/index-abc.js', packaged)).toBe(true);
    expect(isAllowedRequestUrl('chip://sample/3?key=a.png', packaged)).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/inspector.html', packaged)).toBe(true);
    expect(isAllowedRequestUrl('data:image/png;base64,AAAA', packaged)).toBe(true);
    expect(isAllowedRequestUrl('blob:file:///0b7c', packaged)).toBe(true);
  });

  it('blocks remote and out-of-tree requests', () => {
    expect(isAllowedRequestUrl('https://example.com/x.js', packaged)).toBe(false);
    expect(isAllowedRequestUrl('http://127.0.0.1:8080/', packaged)).toBe(false);
    expect(isAllowedRequestUrl('ws://localhost:5173/', packaged)).toBe(false);
    expect(isAllowedRequestUrl('file:///etc/passwd', packaged)).toBe(false);
    expect(isAllowedRequestUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer-evil/x.js', packaged)).toBe(false);
    expect(isAllowedRequestUrl('file:///opt/AURA-KD%20SAR/resources/app.asar/out/renderer/../main/main.js', packaged)).toBe(false);
    expect(isAllowedRequestUrl('ftp://example.com/', packaged)).toBe(false);
    expect(isAllowedRequestUrl('garbage', packaged)).toBe(false);
  });

  it('in development also allows the dev server and its HMR socket', () => {
    expect(isAllowedRequestUrl('http://localhost:5173/src/main.ts', dev)).toBe(true);
    expect(isAllowedRequestUrl('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedRequestUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedRequestUrl('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedRequestUrl('http://example.com:5173/', dev)).toBe(false);
  });
});

describe('contentSecurityPolicy', () => {
  it('is strict in production', () => {
    const csp = contentSecurityPolicy(null);
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    expect(directives['script-src']).toBe("'self'");
    expect(directives['img-src']).toBe("'self' chip: data: blob:");
    expect(directives['connect-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('http');
  });

  it('adds only the dev server in development', () => {
    const csp = contentSecurityPolicy('http://localhost:5173');
    expect(csp).toContain("script-src 'self' http://localhost:5173");
    expect(csp).toContain("connect-src 'self' http://localhost:5173 ws://localhost:5173");
  });

  it('replaces any CSP header on responses', () => {
    const out = withCspHeader({ 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] }, "default-src 'none'");
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'none'"] });
  });
});

describe('senderRejection', () => {
  const ok = { webContentsId: 7, frameUrl: `${packaged.rendererIndexUrl}#/runs`, isMainFrame: true };
  it('accepts the main window top frame showing the app', () => {
    expect(senderRejection(ok, 7, packaged)).toBeNull();
  });
  it('rejects other web contents, sub-frames, foreign and vanished frames', () => {
    expect(senderRejection({ ...ok, webContentsId: 8 }, 7, packaged)).toBe('sender is not the main window');
    expect(senderRejection(ok, null, packaged)).toBe('sender is not the main window');
    expect(senderRejection({ ...ok, isMainFrame: false }, 7, packaged)).toBe('sender is a sub-frame');
    expect(senderRejection({ ...ok, frameUrl: 'https://evil.example/' }, 7, packaged)).toBe('sender frame https://evil.example/ is not the app');
    expect(senderRejection({ ...ok, frameUrl: null }, 7, packaged)).toBe('sender frame (gone) is not the app');
  });
});
