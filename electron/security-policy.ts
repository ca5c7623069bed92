/**
 * Pure security decisions of the desktop shell (no 'electron' import, so they are unit-testable):
 * which URLs are the app itself, which requests may load, the CSP, and whether an IPC sender is
 * the app's own window.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CHIP_SCHEME } from '../main/api/protocol.js';

export interface TrustPolicy {
  /** file:// URL of the built renderer's index.html. */
  rendererIndexUrl: string;
  /** Folder holding the built renderer; file:// requests outside it are blocked. */
  rendererDir: string;
  /** Origin of the electron-vite dev server (development only), e.g. 'http://localhost:5173'. */
  devServerOrigin: string | null;
  /** Compare file paths case-insensitively (Windows, macOS default volumes). */
  caseInsensitivePaths: boolean;
}

export function createTrustPolicy(rendererIndexPath: string, devServerOrigin: string | null, platform: NodeJS.Platform): TrustPolicy {
  return {
    rendererIndexUrl: pathToFileURL(rendererIndexPath).href,
    rendererDir: path.dirname(rendererIndexPath),
    devServerOrigin,
    caseInsensitivePaths: platform === 'win32' || platform === 'darwin',
  };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The dev server origin from ELECTRON_RENDERER_URL, only unpackaged and only on loopback http. */
export function devServerOriginFrom(rendererUrl: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !rendererUrl) return null;
  let url: URL;
  try {
    url = new URL(rendererUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  return url.origin;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function filePath(url: URL, caseInsensitive: boolean): string {
  let p: string;
  try {
    p = decodeURIComponent(url.pathname);
  } catch {
    return '';
  }
  p = path.posix.normalize(p);
  return caseInsensitive ? p.toLowerCase() : p;
}

/** True for the app's own page: the renderer index (any hash/query) or, in dev, the dev server origin. */
export function isTrustedAppUrl(url: string | null | undefined, policy: TrustPolicy): boolean {
  if (!url) return false;
  const u = parse(url);
  if (!u) return false;
  if (policy.devServerOrigin && (u.protocol === 'http:' || u.protocol === 'https:')) return u.origin === policy.devServerOrigin;
  if (u.protocol !== 'file:' || u.host !== '') return false;
  const index = new URL(policy.rendererIndexUrl);
  return filePath(u, policy.caseInsensitivePaths) === filePath(index, policy.caseInsensitivePaths);
}

/**
 * Whether the session may load `url`. Only local content: the renderer's own files, chip://
 * images, DevTools, in-memory data:/blob: URLs and, in development, the loopback dev server
 * (http and its HMR WebSocket). Everything else, remote or not, is cancelled.
 */
export function isAllowedRequestUrl(url: string, policy: TrustPolicy): boolean {
  const u = parse(url);
  if (!u) return false;
  switch (u.protocol) {
    case `${CHIP_SCHEME}:`:
    case 'devtools:':
    case 'data:':
    case 'blob:':
      return true;
    case 'file:': {
      if (u.host !== '') return false;
      const dir = filePath(pathToFileURL(policy.rendererDir + path.sep), policy.caseInsensitivePaths);
      return filePath(u, policy.caseInsensitivePaths).startsWith(dir.endsWith('/') ? dir : `${dir}/`);
    }
    case 'http:':
    case 'ws:': {
      if (!policy.devServerOrigin) return false;
      const dev = new URL(policy.devServerOrigin);
      return u.hostname === dev.hostname && u.port === dev.port;
    }
    default:
      return false;
  }
}

/** Content-Security-Policy of the renderer. Dev adds the dev server and its HMR socket. */
export function contentSecurityPolicy(devServerOrigin: string | null): string {
  const dev = devServerOrigin ? new URL(devServerOrigin) : null;
  const devSources = dev ? ` ${dev.origin} ws://${dev.host}` : '';
  return [
    "default-src 'none'",
    `script-src 'self'${dev ? ` ${dev.origin}` : ''}`,
    `style-src 'self' 'unsafe-inline'${dev ? ` ${dev.origin}` : ''}`,
    `img-src 'self' ${CHIP_SCHEME}: data: blob:`,
    "font-src 'self' data:",
    `connect-src 'self'${devSources}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers with any existing CSP (any letter case) replaced by ours. */
export function withCspHeader(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/** What the IPC guard knows about a caller. */
export interface SenderFacts {
  webContentsId: number;
  /** URL of the frame that sent the message; null when the frame is gone. */
  frameUrl: string | null;
  isMainFrame: boolean;
}

/** Why an IPC call is refused, or null when the sender is the app's own main window. */
export function senderRejection(sender: SenderFacts, mainWebContentsId: number | null, policy: TrustPolicy): string | null {
  if (mainWebContentsId === null || sender.webContentsId !== mainWebContentsId) return 'sender is not the main window';
  if (!isTrustedAppUrl(sender.frameUrl, policy)) return `sender frame ${sender.frameUrl ?? '(gone)'} is not the app`;
  if (!sender.isMainFrame) return 'sender is a sub-frame';
  return null;
}
