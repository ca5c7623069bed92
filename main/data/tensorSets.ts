/** Imported dataset → preprocessed NHWC float32 sets per split (each file decoded again, in key order). */
import { mapWithConcurrency } from './concurrency.js';
import { decodeChipFile, ChipDecodeError } from './decodeChip.js';
import { preprocessChip, validatePreprocessConfig } from './preprocess.js';
import { SPLITS, type ChipTensorSet, type ImportReport, type PreprocessConfig, type SkippedFile, type Split } from './types.js';

export interface LoadOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Splits to fill (default all); the others come back empty (n = 0). */
  splits?: Split[];
  /** Files decoded in parallel. Default 4. */
  concurrency?: number;
}

function emptySet(cfg: PreprocessConfig, classes: string[]): ChipTensorSet {
  return { x: new Float32Array(0), y: new Int32Array(0), keys: [], n: 0, size: cfg.size, channels: cfg.channels, classes };
}

/**
 * Throws if a file no longer decodes (the dataset changed since import) or a chip's channel count
 * differs from the import record; never silently drops a chip.
 */
export async function loadTensorSets(report: ImportReport, cfg: PreprocessConfig, opts: LoadOptions = {}): Promise<Record<Split, ChipTensorSet>> {
  validatePreprocessConfig(cfg);
  const wanted = new Set(opts.splits ?? SPLITS);
  const classes = [...report.classes];
  const result = { train: emptySet(cfg, classes), val: emptySet(cfg, classes), test: emptySet(cfg, classes) };
  const jobs = report.samples.filter((s) => wanted.has(s.split));
  const per = cfg.size * cfg.size * cfg.channels;
  for (const split of SPLITS) {
    if (!wanted.has(split)) continue;
    const samples = report.samples.filter((s) => s.split === split);
    result[split] = {
      x: new Float32Array(samples.length * per),
      y: Int32Array.from(samples, (s) => s.label),
      keys: samples.map((s) => s.key),
      n: samples.length,
      size: cfg.size,
      channels: cfg.channels,
      classes,
    };
  }
  const slot = new Map<string, { split: Split; index: number }>();
  for (const split of SPLITS) result[split].keys.forEach((key, index) => slot.set(key, { split, index }));
  let done = 0;
  await mapWithConcurrency(jobs, opts.concurrency ?? 4, async (s) => {
    let raw;
    try {
      raw = await decodeChipFile(s.path);
    } catch (err) {
      throw new Error(`dataset changed since import: ${(err as Error).message}`);
    }
    if (raw.channels !== s.channels) throw new Error(`dataset changed since import: ${s.key} has ${raw.channels} bands, imported with ${s.channels}`);
    const { split, index } = slot.get(s.key)!;
    result[split].x.set(preprocessChip(raw, cfg), index * per);
    opts.onProgress?.(++done, jobs.length);
  }, opts.signal);
  return result;
}

export interface InferenceChips {
  /** n·size·size·channels, NHWC, in the order of `keys`. */
  x: Float32Array;
  n: number;
  size: number;
  channels: number;
  /** The input paths that decoded, in input order. */
  keys: string[];
  /** Centre coordinates per chip (null when the file has none). */
  geo: ({ lat: number; lon: number } | null)[];
  skipped: SkippedFile[];
}

/** Decodes and preprocesses files for classification; unreadable files are listed in `skipped`. */
export async function loadChipsForInference(
  paths: string[],
  cfg: PreprocessConfig,
  opts: { signal?: AbortSignal; onProgress?(done: number, total: number): void; maxSide?: number } = {},
): Promise<InferenceChips> {
  validatePreprocessConfig(cfg);
  let done = 0;
  type Decoded = { ok: true; x: Float32Array; geo: InferenceChips['geo'][number] } | { ok: false; reason: string };
  const decoded = await mapWithConcurrency(paths, 4, async (p): Promise<Decoded> => {
    try {
      const raw = await decodeChipFile(p, { maxSide: opts.maxSide });
      return { ok: true, x: preprocessChip(raw, cfg), geo: raw.geo ?? null };
    } catch (err) {
      if (!(err instanceof ChipDecodeError)) throw err;
      return { ok: false, reason: err.message };
    } finally {
      opts.onProgress?.(++done, paths.length);
    }
  }, opts.signal);
  const per = cfg.size * cfg.size * cfg.channels;
  const okCount = decoded.filter((d) => d.ok).length;
  const out: InferenceChips = { x: new Float32Array(okCount * per), n: okCount, size: cfg.size, channels: cfg.channels, keys: [], geo: [], skipped: [] };
  decoded.forEach((d, i) => {
    if (d.ok) {
      out.x.set(d.x, out.keys.length * per);
      out.keys.push(paths[i]);
      out.geo.push(d.geo);
    } else out.skipped.push({ path: paths[i], reason: d.reason });
  });
  return out;
}
