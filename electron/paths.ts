/** Where the shell finds its built pieces and keeps its data. */
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface ShellPaths {
  preload: string;
  rendererIndex: string;
  /** Window icon (Linux/Windows); null when not shipped. */
  icon: string | null;
}

/** The window icon: copied next to app.asar by electron-builder (extraResources), in resources/ from source. */
export function iconPathFor(isPackaged: boolean, resourcesPath: string, appPath: string): string {
  return isPackaged ? path.join(resourcesPath, 'icon.png') : path.join(appPath, 'resources', 'icon.png');
}

/**
 * electron-vite writes out/<main>/, out/preload/ and out/renderer/ side by side; `mainDir` is the
 * folder of the built main bundle. The sandboxed preload is CommonJS, named preload.cjs or preload.js.
 */
export function resolveShellPaths(mainDir: string, iconPath: string, exists: (p: string) => boolean = existsSync): ShellPaths {
  const out = path.resolve(mainDir, '..');
  const preload = ['preload.cjs', 'preload.js'].map((f) => path.join(out, 'preload', f)).find(exists);
  if (!preload) throw new Error(`Preload bundle not found in ${path.join(out, 'preload')}; build the app first (npx electron-vite build)`);
  const rendererIndex = path.join(out, 'renderer', 'index.html');
  return { preload, rendererIndex, icon: exists(iconPath) ? iconPath : null };
}

/** AURA_KD_DATA_DIR when set, else a 'data' folder inside Electron's userData (kept apart from Chromium's caches). */
export function resolveDataDir(env: NodeJS.ProcessEnv, userDataDir: string): string {
  const fromEnv = env.AURA_KD_DATA_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(userDataDir, 'data');
}
