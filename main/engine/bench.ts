/**
 * Throughput benchmark of the engine on this machine (`aura-kd bench [--json]`).
 *
 * For each available backend and each backbone × input size: chips/s of one optimizer step (CE) and of
 * inference at the given batch, the AURA-KD step's cost relative to the CE step (same run), plus peak
 * RSS, the wasm heap and the backend details. The result is plain JSON.
 *
 * Options (all optional):
 *   backends  which backends to try, in order (default: tensorflow, wasm, cpu; unavailable ones are
 *             listed under `skipped`). In the default run the pure-JS cpu backend (40× slower on SARNet) is
 *             measured on SARNet at the smallest size only, with one timed step and no AURA-KD step.
 *   models    backbones (default: resnet18, sarnet)
 *   sizes     square input sizes in pixels (default: 64, 88)
 *   batch     chips per step and per inference pass (default 32)
 *   steps     timed repetitions per phase, after one warm-up (default 5; quick: 2)
 *   quick     ~30 s: the first available native/wasm backend, size 64 only, 2 steps, cpu skipped
 *   onLog     receives one progress line per measurement
 * A default run takes about 1.5 minutes on a 2-core machine (wasm, 2 threads); quick about 20 s.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { currentBackendInfo, initBackend, type BackendInfo } from './backend.js';
import { measure, type Measurement } from './bench_measure.js';
import { BACKBONES, type Backbone, type BackendName, type BackendPreference } from './config.js';
import { registerFastCpuKernels } from './cpuKernels.js';
import { suggestBatchSize, WASM_HEAP_LIMIT_BYTES } from './wasm/memory.js';

export interface BenchOptions {
  backends?: BackendPreference[];
  models?: Backbone[];
  sizes?: number[];
  batch?: number;
  steps?: number;
  quick?: boolean;
  onLog?: (line: string) => void;
}

export interface BenchEntry extends Measurement {
  backend: BackendName;
  model: Backbone;
  size: number;
  batch: number;
  steps: number;
  /** wasm only: heap size after this entry (the heap never shrinks, so this is the peak so far). */
  wasmHeapBytes: number | null;
  rssBytes: number;
}

export interface BenchReport {
  startedAt: string;
  durationMs: number;
  machine: { cpuModel: string; logicalCpus: number; totalMemoryBytes: number; platform: string; node: string };
  options: { backends: BackendPreference[]; models: Backbone[]; sizes: number[]; batch: number; steps: number; quick: boolean };
  /** Every backend that started, as initBackend reported it. */
  backends: BackendInfo[];
  results: BenchEntry[];
  /** Backends or entries not measured, with the reason. */
  skipped: { backend: BackendPreference; model?: Backbone; size?: number; reason: string }[];
  /** Process peak resident set size (resourceUsage().maxRSS). */
  peakRssBytes: number;
  notes: string[];
}

const DEFAULT_BACKENDS: BackendPreference[] = ['tensorflow', 'wasm', 'cpu'];
const DEFAULT_MODELS: Backbone[] = ['resnet18', 'sarnet'];

function validate(o: BenchOptions): void {
  for (const b of o.backends ?? []) {
    if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(b)) throw new Error(`runBenchmark: unknown backend '${b}'`);
  }
  for (const m of o.models ?? []) if (!BACKBONES.includes(m)) throw new Error(`runBenchmark: unknown backbone '${m}'`);
  for (const s of o.sizes ?? []) {
    if (!Number.isInteger(s) || s < 16 || s > 512) throw new Error(`runBenchmark: sizes must be integers in [16, 512], got ${s}`);
  }
  if (o.batch !== undefined && (!Number.isInteger(o.batch) || o.batch < 1)) throw new Error(`runBenchmark: batch must be a positive integer, got ${o.batch}`);
  if (o.steps !== undefined && (!Number.isInteger(o.steps) || o.steps < 1)) throw new Error(`runBenchmark: steps must be a positive integer, got ${o.steps}`);
}

function wasmHeapBytes(): number | null {
  if (tf.getBackend() !== 'wasm') return null;
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return wasm?.HEAPU8?.buffer.byteLength ?? null;
}

/** Run the benchmark; see the file comment for the options. Restores the backend that was active. */
export async function runBenchmark(opts: BenchOptions = {}): Promise<BenchReport> {
  validate(opts);
  const started = Date.now();
  const log = opts.onLog ?? (() => undefined);
  const quick = opts.quick ?? false;
  const explicitBackends = opts.backends !== undefined;
  const backends = opts.backends ?? (quick ? ['tensorflow', 'wasm'] : DEFAULT_BACKENDS);
  const models = opts.models ?? (quick ? ['sarnet', 'resnet18'] : DEFAULT_MODELS);
  const sizes = opts.sizes ?? (quick ? [64] : [64, 88]);
  const batch = opts.batch ?? 32;
  const steps = opts.steps ?? (quick ? 2 : 5);
  const report: BenchReport = {
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    machine: {
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      logicalCpus: os.cpus().length,
      totalMemoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
    },
    options: { backends, models, sizes, batch, steps, quick },
    backends: [],
    results: [],
    skipped: [],
    peakRssBytes: 0,
    notes: [],
  };
  const previous = currentBackendInfo();
  let measuredFast = false;
  try {
    for (const pref of backends) {
      if (quick && !explicitBackends && measuredFast) break; // quick: the best available backend only
      let info: BackendInfo;
      try {
        info = await initBackend(pref);
      } catch (err) {
        report.skipped.push({ backend: pref, reason: err instanceof Error ? err.message.split('\n')[0] : String(err) });
        continue;
      }
      if (report.backends.some((b) => b.name === info.name)) continue; // 'auto' resolved to one already measured
      report.backends.push(info);
      let plan = models.flatMap((model) => sizes.map((size) => ({ model, size })));
      let planSteps = steps;
      let warmup = 1;
      let auraKd = true;
      if (info.name === 'cpu') {
        registerFastCpuKernels(); // as the trainer does
        if (!explicitBackends) {
          plan = [{ model: 'sarnet' as Backbone, size: Math.min(...sizes) }];
          planSteps = 1;
          warmup = 0;
          auraKd = false;
          report.notes.push('cpu backend (pure JS, ~40× slower than wasm on SARNet): SARNet at the smallest size only, one step, no AURA-KD step');
        }
      } else {
        measuredFast = true;
      }
      for (const { model, size } of plan) {
        if (info.name === 'wasm') {
          const fit = suggestBatchSize(model, size, batch, { rowsPerChip: auraKd ? 2 : 1 });
          if (fit.reduced) {
            const reason = `batch ${batch} needs ~${Math.round(fit.estimatedBytes / 2 ** 20)} MiB+ of the ${WASM_HEAP_LIMIT_BYTES / 2 ** 30} GiB wasm heap (fits: ${fit.batchSize})`;
            report.skipped.push({ backend: info.name, model, size, reason });
            log(`skip ${info.name} ${model}@${size}: ${reason}`);
            continue;
          }
        }
        const m = measure({ backbone: model, inputSize: size, batch, steps: planSteps, warmup, auraKd });
        const entry: BenchEntry = {
          backend: info.name,
          model,
          size,
          batch,
          steps: planSteps,
          ...m,
          wasmHeapBytes: wasmHeapBytes(),
          rssBytes: process.memoryUsage().rss,
        };
        report.results.push(entry);
        log(
          `${info.name} ${model}@${size} b${batch}: train ${m.train.chipsPerSec} chips/s, infer ${m.inference.chipsPerSec} chips/s` +
            (m.auraKdToCeRatio !== null ? `, AURA-KD step ${m.auraKdToCeRatio}× CE` : ''),
        );
      }
    }
  } finally {
    if (previous && currentBackendInfo() !== previous) await initBackend(previous.name);
  }
  if (quick && !explicitBackends) report.notes.push('quick run: the first available of tensorflow/wasm only, cpu not measured');
  report.notes.push('AURA-KD step uses lastBatch replay: each step feeds 2·batch rows (previous batch + new chips)');
  report.peakRssBytes = process.resourceUsage().maxRSS * 1024;
  report.durationMs = Date.now() - started;
  return report;
}
