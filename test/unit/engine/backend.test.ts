/** Backend selection: preference resolution, the threaded wasm backend, idempotence, switching, clean exit. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentBackendInfo, initBackend, logicalCpus, resolvePreference, wasmThreadsWanted } from '../../../main/engine/backend.js';
import { ensureWorkerScript, threadsSupported } from '../../../main/engine/wasm/threaded_module.js';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

describe('resolvePreference', () => {
  it('takes the argument, else AURA_KD_BACKEND, else auto', () => {
    expect(resolvePreference('cpu', { AURA_KD_BACKEND: 'wasm' })).toBe('cpu');
    expect(resolvePreference('auto', { AURA_KD_BACKEND: ' WASM ' })).toBe('wasm');
    expect(resolvePreference(undefined, {})).toBe('auto');
    expect(resolvePreference('auto', { AURA_KD_BACKEND: '' })).toBe('auto');
  });

  it('rejects unknown names with a one-line error naming the source', () => {
    expect(() => resolvePreference('auto', { AURA_KD_BACKEND: 'webgpu' })).toThrow(
      "unknown backend 'webgpu' (from AURA_KD_BACKEND); expected one of auto, tensorflow, wasm, cpu",
    );
    expect(() => resolvePreference('gpu' as never, {})).toThrow("unknown backend 'gpu' (from the request)");
  });
});

describe('wasmThreadsWanted', () => {
  it('uses AURA_KD_WASM_THREADS when set, else every logical CPU up to 8', () => {
    expect(wasmThreadsWanted({ AURA_KD_WASM_THREADS: '3' })).toBe(3);
    expect(wasmThreadsWanted({})).toBe(Math.min(8, logicalCpus()));
    expect(() => wasmThreadsWanted({ AURA_KD_WASM_THREADS: '0' })).toThrow("AURA_KD_WASM_THREADS must be an integer from 1 to 8, got '0'");
    expect(() => wasmThreadsWanted({ AURA_KD_WASM_THREADS: 'many' })).toThrow('got \'many\'');
  });
});

describe('ensureWorkerScript', () => {
  it('writes the pthread worker once, content-addressed, with its newline escapes intact', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-kd-worker-'));
    const a = ensureWorkerScript(dir);
    const b = ensureWorkerScript(dir);
    expect(a).toBe(b);
    expect(path.basename(a)).toMatch(/^aura-kd-tfjs-wasm-worker-[0-9a-f]{16}\.cjs$/);
    const text = fs.readFileSync(a, 'utf8');
    expect(text).toContain('WasmBackendModuleThreadedSimd(Module)');
    expect(text).toContain('text+"\\n"');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('initBackend', () => {
  it('starts the threaded SIMD wasm backend with one thread per logical CPU, idempotently', async () => {
    const info = await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info).toMatchObject({ name: 'wasm', simd: true, tfjsVersion: '4.22.0' });
    if (threadsSupported()) {
      expect(info.threads).toBe(wasmThreadsWanted());
      expect(info.detail).toBe(`wasm threaded SIMD (XNNPACK), ${info.threads} thread${info.threads === 1 ? '' : 's'}`);
    }
    expect(await initBackend('wasm')).toBe(info);
    expect(await initBackend('auto')).toBe(info);
    expect(currentBackendInfo()).toBe(info);
    const y = tf.tidy(() => tf.conv2d(tf.ones([2, 9, 9, 3]) as tf.Tensor4D, tf.ones([3, 3, 3, 2]) as tf.Tensor4D, 1, 'valid').sum().dataSync()[0]);
    expect(y).toBe(2 * 7 * 7 * 2 * 27);
  });

  it('switches to cpu and back, returning the same info objects', async () => {
    const wasm = await initBackend('wasm');
    const cpu = await initBackend('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', threads: 1, simd: false });
    expect(tf.getBackend()).toBe('cpu');
    expect(currentBackendInfo()).toBe(cpu);
    expect(await initBackend('wasm')).toBe(wasm);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a forced native backend that is not installed fails with the reasons', async () => {
    let installed = true;
    try {
      await import('@tensorflow/tfjs-node' as string);
    } catch {
      installed = false;
    }
    if (installed) return; // a machine with libtensorflow: nothing to check here
    await expect(initBackend('tensorflow')).rejects.toThrow(
      'no native TensorFlow backend: @tensorflow/tfjs-node-gpu: not installed; @tensorflow/tfjs-node: not installed',
    );
    expect(tf.getBackend()).toBe('wasm');
  });

  it('a process using the threaded backend exits on its own, also under flags workers cannot take', async () => {
    const script =
      `import { initBackend } from ${JSON.stringify(path.join(repoRoot, 'main/engine/backend.ts'))};` +
      `import * as tf from '@tensorflow/tfjs';` +
      `const info = await initBackend('wasm');` +
      `const s = tf.conv2d(tf.ones([2, 16, 16, 8]), tf.ones([3, 3, 8, 8]), 1, 'same').sum().dataSync()[0];` +
      `console.log(JSON.stringify({ name: info.name, threads: info.threads, s }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      timeout: 30_000,
    });
    const line = stdout.trim().split('\n').pop() as string;
    // 3×3 'same' conv of ones: interior pixels sum 72, edges 48, corners 32, per output channel.
    const perChannel = 14 * 14 * 72 + 4 * 14 * 48 + 4 * 32;
    expect(JSON.parse(line)).toEqual({ name: 'wasm', threads: wasmThreadsWanted(), s: 2 * 8 * perChannel });
  });
});
