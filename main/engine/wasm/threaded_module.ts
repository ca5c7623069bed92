/**
 * The multi-threaded SIMD wasm backend under Node.
 *
 * tfjs-backend-wasm 4.22 forces single-threaded mode under Node (its WASM_HAS_MULTITHREAD_SUPPORT flag
 * returns false there) and, in browsers, hands Emscripten its pthread worker script and main script as
 * blob: URLs, which Node's worker_threads cannot load. Here the threaded-SIMD Emscripten module from
 * the package's wasm-out/ folder is instantiated directly: its worker script is written once to a real
 * file (the tmp folder, content-addressed), its main script is the package file itself, and the
 * result is wrapped in the package's own `BackendWasm`, so every stock wasm kernel runs on it.
 *
 * Thread count: the module grants `min(requested, logicalCores / 2)` threads (XNNPACK's pool), which
 * is one thread on a 2-vCPU machine. The core count is read by the module's static constructors and by
 * the backend's constructor; during those two synchronous windows only, `os.cpus()` reports twice the
 * requested count, so the requested count is granted.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

type WasmPackage = typeof import('@tensorflow/tfjs-backend-wasm');

/** The Emscripten module object (only what we touch). */
interface EmscriptenModule {
  cwrap: (name: string, ret: string | null, args: string[]) => (...a: number[]) => number;
  PThread?: { terminateAllThreads: () => void; runningWorkers: Array<{ unref?: () => void }> };
  tfjs?: Record<string, unknown>;
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/** Folder of the installed @tensorflow/tfjs-backend-wasm package. */
export function wasmPackageDir(): string {
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** True when this runtime can run the threaded build: shared wasm memory, atomics, worker_threads. */
export function threadsSupported(): boolean {
  try {
    if (typeof SharedArrayBuffer === 'undefined') return false;
    // Smallest module with a shared memory and an atomic instruction (from wasm-feature-detect).
    const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);
    if (!WebAssembly.validate(probe)) return false;
    require('node:worker_threads');
    return true;
  } catch {
    return false;
  }
}

/** Write the pthread worker script to a real file once (content-addressed, atomic) and return its path. */
export function ensureWorkerScript(dir: string = os.tmpdir()): string {
  const { wasmWorkerContents } = require(path.join(wasmPackageDir(), 'wasm-out/tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The package keeps the script in a template literal whose "\n" escapes became real newlines inside
  // string literals; escape them back, as the package itself does before making its blob.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(dir, `aura-kd-tfjs-wasm-worker-${hash}.cjs`);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, source);
    fs.renameSync(tmp, file);
  }
  return file;
}

/**
 * worker_threads.Worker that starts without the parent's execArgv. Workers inherit it by default, so
 * `--import tsx`, `--input-type=module` (fatal for a file worker) or test-runner flags would be applied
 * to the pthread workers, which are plain CommonJS scripts needing none of them.
 */
function plainWorkerClass(): unknown {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  return class PlainWorker extends Worker {
    constructor(file: string | URL, options: import('node:worker_threads').WorkerOptions = {}) {
      super(file, { ...options, execArgv: [] });
    }
  };
}

/**
 * Make `os.cpus()` report at least `count` CPUs until the returned restore function is called.
 * The CommonJS 'os' object is the one Emscripten's `require("os")` sees.
 */
function reportCpus(count: number): () => void {
  const osModule = require('node:os') as { cpus: typeof os.cpus };
  const original = osModule.cpus;
  const real = original();
  if (real.length >= count || real.length === 0) return () => undefined;
  osModule.cpus = () => Array.from({ length: count }, (_, i) => real[i % real.length]);
  return () => {
    osModule.cpus = original;
  };
}

function bindTfjsApi(module: EmscriptenModule): void {
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
}

/**
 * Instantiate the threaded-SIMD module and wrap it in a `BackendWasm` running `threads` threads.
 * Rejects (and stops its workers) when the module does not come up within `timeoutMs`.
 */
export async function createThreadedWasmBackend(wasmPkg: WasmPackage, threads: number, timeoutMs = 30_000): Promise<BackendWasm> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`wasm threads must be a positive integer, got ${threads}`);
  const outDir = path.join(wasmPackageDir(), 'wasm-out');
  const factory = require(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js')) as ModuleFactory;
  const workerFile = ensureWorkerScript();
  // The core count is read by the module's static constructors, which run synchronously between
  // Emscripten's preRun and onRuntimeInitialized hooks: report 2 × threads only inside that window.
  let restoreCpus: () => void = () => undefined;
  const PlainWorker = plainWorkerClass();
  const config: Record<string, unknown> = {
    // Emscripten sets global.Worker to worker_threads.Worker, then asks for the worker script right
    // before each `new Worker(script)`: swap in the execArgv-free class at that point.
    locateFile: (file: string) => {
      if (!file.endsWith('.worker.js')) return path.join(outDir, file);
      (globalThis as { Worker?: unknown }).Worker = PlainWorker;
      return workerFile;
    },
    mainScriptUrlOrBlob: path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js'),
    preRun: [() => (restoreCpus = reportCpus(2 * threads))],
    onRuntimeInitialized: () => restoreCpus(),
    onAbort: () => restoreCpus(),
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`threaded wasm module did not start within ${timeoutMs} ms`)), timeoutMs);
  });
  let module: EmscriptenModule;
  try {
    module = await Promise.race([factory(config), timeout]);
  } catch (err) {
    restoreCpus();
    // Emscripten stores its PThread object on the config (it becomes the Module); stop its workers.
    (config as unknown as EmscriptenModule).PThread?.terminateAllThreads();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  bindTfjsApi(module);
  wasmPkg.setThreadsCount(threads);
  const restore = reportCpus(2 * threads);
  let backend: BackendWasm;
  try {
    backend = new wasmPkg.BackendWasm(module as unknown as ConstructorParameters<typeof wasmPkg.BackendWasm>[0]);
  } finally {
    restore();
  }
  // XNNPACK's pool threads run for the life of the backend; Emscripten keeps a running pthread's worker
  // referenced, which would keep Node from exiting. They only ever run work for the main thread.
  for (const worker of module.PThread?.runningWorkers ?? []) worker.unref?.();
  return backend;
}
