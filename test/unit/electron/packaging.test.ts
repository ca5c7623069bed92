import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../../electron/identity.js';
import { drawIconPixels, iconSvg } from '../../../resources/make-icons.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const require = createRequire(path.join(repoRoot, 'package.json'));
// electron-builder's own loader and JSON-schema validation (app-builder-lib ships with electron-builder).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');
const { minimatch } = require('minimatch') as { minimatch: (p: string, pattern: string, o?: object) => boolean };
const yaml = require('js-yaml') as { load: (text: string) => unknown };

type Config = Record<string, any>;
/** As electron-builder loads it (normalised), and as written. */
let loaded: Config;
const config = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

beforeAll(async () => {
  loaded = await getConfig(repoRoot, 'electron-builder.yml', null);
});

describe('electron-builder.yml', () => {
  it("parses and passes electron-builder's configuration schema", async () => {
    expect(loaded.appId).toBe(config.appId);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...loaded, electronFuse: {} }, new DebugLogger(false))).rejects.toThrow(/unknown property 'electronFuse'/);
  });

  it('names the app as the shell does and pins the installed Electron version', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.electronVersion).toBe(pkg.devDependencies.electron);
    expect(config.electronVersion).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8')).version);
  });

  it('packages the built app, rebuilds native modules and unpacks native code and wasm', () => {
    expect(config.files.slice(0, 2)).toEqual(['out/**', 'package.json']);
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    const unpacked = (file: string) => config.asarUnpack.some((pattern: string) => minimatch(file, pattern, { dot: true }));
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
      expect(unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`)).toBe(true);
      expect(unpacked(`node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/${file}`)).toBe(true);
    }
    expect(unpacked('node_modules/@tensorflow/tfjs-core/dist/tf-core.node.js')).toBe(false);
    expect(config.publish).toBeNull();
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb, NSIS, and dmg', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('references icon files that exist and are a 1024×1024 RGBA PNG', () => {
    const referenced = [config.linux.icon, config.win.icon, config.mac.icon, config.extraResources[0].from];
    expect(new Set(referenced)).toEqual(new Set(['resources/icon.png']));
    const png = PNG.sync.read(readFileSync(path.join(repoRoot, 'resources/icon.png')));
    expect([png.width, png.height]).toEqual([1024, 1024]);
    expect(png.data[3]).toBe(0); // transparent corner outside the rounded tile
    expect(png.data[(512 * 1024 + 512) * 4 + 3]).toBe(255);
  });

  it('keeps the icons in step with their generator', () => {
    const png = PNG.sync.read(readFileSync(path.join(repoRoot, 'resources/icon.png')));
    expect(Buffer.compare(png.data, drawIconPixels(1024))).toBe(0);
    expect(readFileSync(path.join(repoRoot, 'resources/icon.svg'), 'utf8')).toBe(iconSvg());
  });
});
