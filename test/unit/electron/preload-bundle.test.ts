/**
 * The preload runs sandboxed: one CommonJS file whose only require is 'electron'. Bundle it the
 * way electron-vite does (production dependencies external) and run it in a bare VM context.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { build, type Rolldown } from 'vite';
import { describe, expect, it, vi } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function bundlePreload(): Promise<string> {
  const deps = Object.keys(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).dependencies);
  const result = (await build({
    configFile: false,
    logLevel: 'silent',
    root: repoRoot,
    build: {
      write: false,
      target: 'node20',
      minify: false,
      ssr: true,
      lib: { entry: path.join(repoRoot, 'electron/preload.ts'), formats: ['cjs'] },
      rolldownOptions: { external: ['electron', ...deps, new RegExp(`^(${deps.join('|')})/.+`)], output: { entryFileNames: '[name].cjs' } },
    },
    ssr: { noExternal: true },
  })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunks = outputs.filter((o): o is Rolldown.OutputChunk => o.type === 'chunk');
  expect(chunks).toHaveLength(1);
  return chunks[0].code;
}

describe('preload bundle', () => {
  it('is one CommonJS file that requires only electron and exposes window.aura', async () => {
    const code = await bundlePreload();
    const required = [...code.matchAll(/require\((['"])([^'"]+)\1\)/g)].map((m) => m[2]);
    expect([...new Set(required)]).toEqual(['electron']);

    const exposed = new Map<string, any>();
    const invoke = vi.fn(async () => ({ ok: true, value: 42 }));
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
      ipcRenderer: { invoke, on: vi.fn(), removeListener: vi.fn() },
    };
    const module = { exports: {} };
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, URLSearchParams });
    const aura = exposed.get('aura');
    expect(Object.keys(aura).sort()).toEqual(['call', 'chipUrl', 'on', 'pickFolder']);
    await expect(aura.call('datasets.list', {})).resolves.toBe(42);
    expect(invoke).toHaveBeenCalledWith('api:datasets.list', {});
    await expect(aura.call('fs.readFile', {})).rejects.toThrow('[unknownOperation] Unknown operation: fs.readFile');
    expect(aura.chipUrl({ kind: 'classified', classificationId: 2, key: 'a.tif' })).toBe('chip://classified/2?key=a.tif');
  });
});
