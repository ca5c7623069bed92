/**
 * TensorFlow.js backend selection.
 *
 * Chain (first that works): `@tensorflow/tfjs-node-gpu` (CUDA) → `@tensorflow/tfjs-node` (native CPU)
 * → wasm (SIMD, multi-threaded when the runtime allows, with our training kernels) → the pure-JS cpu
 * backend. The native packages are optional dependencies, imported dynamically. The preference comes
 * from the argument, else the AURA_KD_BACKEND environment variable, else 'auto'. A forced backend that
 * cannot start is an error, not a silent fallback. Calls are idempotent: asking again for a backend that
 * is already up (or for 'auto' once any is up) returns the same info object; asking for another named
 * one switches to it.
 */
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendName, BackendPreference } from './config.js';
import { createThreadedWasmBackend, threadsSupported, wasmPackageDir } from './wasm/threaded_module.js';
import { registerWasmTrainingKernels } from './wasm/register.js';

export type { BackendName, BackendPreference } from './config.js';
export { estimateTrainingBytes, estimateTrainingBytesPerChip, suggestBatchSize, WASM_HEAP_LIMIT_BYTES, type BatchSizeAdvice } from './wasm/memory.js';

export interface BackendInfo {
  name: BackendName;
  /** Compute threads the backend uses (native backends: the machine's logical CPUs). */
  threads: number;
  /** Whether SIMD kernels are in use (wasm), or native vector code (tensorflow). */
  simd: boolean;
  /** One human-readable line: which package/build, GPU or CPU, why a fallback happened. */
  detail: string;
  tfjsVersion: string;
}

const BACKEND_ENV = 'AURA_KD_BACKEND';
const THREADS_ENV = 'AURA_KD_WASM_THREADS';
const PREFERENCES: readonly BackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
/** Priority above the stock wasm registration (2) so ours is the one tfjs picks. */
const WASM_PRIORITY = 3;

const started = new Map<BackendName, BackendInfo>();
const starting = new Map<string, Promise<BackendInfo>>();
let current: BackendInfo | null = null;

/** The backend in use, or null before `initBackend`. */
export function currentBackendInfo(): BackendInfo | null {
  return current;
}

/** Resolve the effective preference: argument, else AURA_KD_BACKEND, else 'auto'. */
export function resolvePreference(pref: BackendPreference = 'auto', env: NodeJS.ProcessEnv = process.env): BackendPreference {
  const chosen = pref !== 'auto' ? pref : ((env[BACKEND_ENV] ?? '').trim().toLowerCase() || 'auto');
  if (!PREFERENCES.includes(chosen as BackendPreference)) {
    throw new Error(`unknown backend '${chosen}' (from ${pref !== 'auto' ? 'the request' : BACKEND_ENV}); expected one of ${PREFERENCES.join(', ')}`);
  }
  return chosen as BackendPreference;
}

/** Logical CPUs of this machine. */
export function logicalCpus(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * wasm threads to ask for: AURA_KD_WASM_THREADS when set (1–8), else every logical CPU, at most 8
 * (the package's pthread pool size).
 */
export function wasmThreadsWanted(env: NodeJS.ProcessEnv = process.env): number {
  const raw = (env[THREADS_ENV] ?? '').trim();
  if (raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`${THREADS_ENV} must be an integer from 1 to 8, got '${raw}'`);
    return n;
  }
  return Math.min(8, logicalCpus());
}

async function importOptional(specifier: string): Promise<unknown> {
  // A variable specifier keeps bundlers and tsc from resolving packages that are usually absent.
  const name = specifier;
  return import(/* @vite-ignore */ name);
}

async function startNative(): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const [pkg, kind] of [
    ['@tensorflow/tfjs-node-gpu', 'CUDA GPU'],
    ['@tensorflow/tfjs-node', 'native CPU'],
  ] as const) {
    try {
      await importOptional(pkg);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
      return {
        name: 'tensorflow',
        threads: logicalCpus(),
        simd: true,
        detail: `${pkg} (${kind}, libtensorflow)`,
        tfjsVersion: tf.version_core,
      };
    } catch (err) {
      const code = (err as { code?: string })?.code;
      failures.push(`${pkg}: ${code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? 'not installed' : firstLine(err)}`);
    }
  }
  throw new Error(`no native TensorFlow backend: ${failures.join('; ')}`);
}

async function startWasm(): Promise<BackendInfo> {
  const wasmPkg = await import('@tensorflow/tfjs-backend-wasm');
  wasmPkg.setWasmPaths(path.join(wasmPackageDir(), 'dist') + path.sep);
  registerWasmTrainingKernels();
  const wanted = wasmThreadsWanted();
  let note = 'this runtime lacks shared wasm memory or worker_threads';
  // The threaded build is used even for one thread: its XNNPACK is at least as fast as the SIMD build's.
  if (threadsSupported()) {
    const stockFactory = tf.findBackendFactory('wasm');
    let failure: unknown = null;
    tf.removeBackend('wasm');
    tf.registerBackend(
      'wasm',
      () =>
        createThreadedWasmBackend(wasmPkg, wanted).catch((err: unknown) => {
          failure = err;
          throw err;
        }),
      WASM_PRIORITY,
    );
    if (await quietly(() => tf.setBackend('wasm'))) {
      const threads = wasmPkg.getThreadsCount();
      return { name: 'wasm', threads, simd: true, detail: `wasm threaded SIMD (XNNPACK), ${threads} thread${threads === 1 ? '' : 's'}`, tfjsVersion: tf.version_core };
    }
    note = `threaded build failed: ${firstLine(failure ?? 'did not initialise')}`;
    // Fall back to the package's own (single-threaded under Node) registration.
    tf.removeBackend('wasm');
    if (stockFactory) tf.registerBackend('wasm', stockFactory, WASM_PRIORITY);
  }
  if (!(await tf.setBackend('wasm'))) throw new Error(`the wasm backend did not initialise (${note})`);
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  return {
    name: 'wasm',
    threads: wasmPkg.getThreadsCount(),
    simd,
    detail: `wasm ${simd ? 'SIMD' : 'scalar'}, single-threaded (${note})`,
    tfjsVersion: tf.version_core,
  };
}

/** Run `fn` without tfjs's console warning for a failed backend start (we report it ourselves). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  let swallowNext = false; // tfjs logs the failure, then its stack
  console.warn = (...a: unknown[]) => {
    const isFailure = typeof a[0] === 'string' && a[0].startsWith('Initialization of backend');
    if (!isFailure && !swallowNext) warn(...a);
    swallowNext = isFailure;
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

async function startCpu(): Promise<BackendInfo> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
  return { name: 'cpu', threads: 1, simd: false, detail: 'pure-JavaScript cpu backend (slow; for tiny models only)', tfjsVersion: tf.version_core };
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String((err as { message?: string })?.message ?? err);
  return text.split('\n')[0];
}

async function start(name: BackendName): Promise<BackendInfo> {
  const ready = started.get(name);
  if (ready) {
    if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new Error(`could not switch back to the ${name} backend`);
    return ready;
  }
  const info = name === 'tensorflow' ? await startNative() : name === 'wasm' ? await startWasm() : await startCpu();
  started.set(name, info);
  return info;
}

async function startAuto(): Promise<BackendInfo> {
  const notes: string[] = [];
  for (const name of ['tensorflow', 'wasm'] as const) {
    try {
      const info = await start(name);
      return notes.length ? { ...info, detail: `${info.detail}; skipped: ${notes.join('; ')}` } : info;
    } catch (err) {
      notes.push(firstLine(err));
    }
  }
  const cpu = await start('cpu');
  return { ...cpu, detail: `${cpu.detail}; skipped: ${notes.join('; ')}` };
}

/**
 * Select and initialise the TensorFlow.js backend. `pref` 'auto' walks the chain; a named backend is
 * forced (error if it cannot start). Resolves to the backend now in use.
 */
export async function initBackend(pref: BackendPreference = 'auto'): Promise<BackendInfo> {
  const resolved = resolvePreference(pref);
  if (current && (resolved === 'auto' || resolved === current.name)) return current;
  const pending = starting.get(resolved) ?? (resolved === 'auto' ? startAuto() : start(resolved));
  starting.set(resolved, pending);
  try {
    const info = await pending;
    if (resolved === 'auto' && started.get(info.name) !== info) started.set(info.name, info);
    current = info;
    return info;
  } finally {
    starting.delete(resolved);
  }
}
