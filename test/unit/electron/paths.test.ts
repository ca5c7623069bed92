import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iconPathFor, resolveDataDir, resolveShellPaths } from '../../../electron/paths.js';

const MAIN = path.join('/app', 'out', 'electron');

describe('shell paths', () => {
  it('finds the preload as .cjs first, then .js, next to the main bundle', () => {
    const files = new Set([path.join('/app/out/preload/preload.js'), path.join('/app/out/preload/preload.cjs'), '/res/icon.png']);
    expect(resolveShellPaths(MAIN, '/res/icon.png', (p) => files.has(p))).toEqual({
      preload: path.join('/app/out/preload/preload.cjs'),
      rendererIndex: path.join('/app/out/renderer/index.html'),
      icon: '/res/icon.png',
    });
    files.delete(path.join('/app/out/preload/preload.cjs'));
    files.delete('/res/icon.png');
    expect(resolveShellPaths(MAIN, '/res/icon.png', (p) => files.has(p))).toMatchObject({ preload: path.join('/app/out/preload/preload.js'), icon: null });
  });

  it('fails with a clear message when the app was not built', () => {
    expect(() => resolveShellPaths(MAIN, '/res/icon.png', () => false)).toThrow(
      `Preload bundle not found in ${path.join('/app/out/preload')}; build the app first (npx electron-vite build)`,
    );
  });

  it('keeps data in userData/data unless AURA_KD_DATA_DIR says otherwise', () => {
    expect(resolveDataDir({}, '/home/a/.config/AURA-KD SAR')).toBe(path.join('/home/a/.config/AURA-KD SAR', 'data'));
    expect(resolveDataDir({ AURA_KD_DATA_DIR: '  ' }, '/u')).toBe(path.join('/u', 'data'));
    expect(resolveDataDir({ AURA_KD_DATA_DIR: '/srv/aura' }, '/u')).toBe('/srv/aura');
    expect(resolveDataDir({ AURA_KD_DATA_DIR: 'rel/dir' }, '/u')).toBe(path.resolve('rel/dir'));
  });

  it('takes the window icon from resources/ in development and from the resources folder when packaged', () => {
    expect(iconPathFor(false, '/opt/app/resources', '/repo')).toBe(path.join('/repo', 'resources', 'icon.png'));
    expect(iconPathFor(true, '/opt/app/resources', '/opt/app/resources/app.asar')).toBe(path.join('/opt/app/resources', 'icon.png'));
  });
});
