/** Dataset-level per-channel statistics (after fit + intensity transform) for normalise = 'dataset'. */
import { mapWithConcurrency } from './concurrency.js';
import { decodeChipFile } from './decodeChip.js';
import { fitAndTransform, validatePreprocessConfig } from './preprocess.js';
import type { ImportReport, PreprocessConfig, RawChip, Split } from './types.js';

export interface ChannelStats {
  mean: number[];
  /** Population std over all pixels of all chips, per channel. */
  std: number[];
}

interface Sums {
  sum: number[];
  sumSq: number[];
  count: number;
}

function chipSums(raw: RawChip, cfg: PreprocessConfig): Sums {
  const x = fitAndTransform(raw, cfg);
  const C = cfg.channels;
  const sum = new Array<number>(C).fill(0);
  const sumSq = new Array<number>(C).fill(0);
  for (let k = 0; k < x.length; k++) {
    sum[k % C] += x[k];
    sumSq[k % C] += x[k] * x[k];
  }
  return { sum, sumSq, count: x.length / C };
}

/** Combines per-chip sums in the given order (so the result does not depend on decode timing). */
function combine(parts: Sums[], channels: number): ChannelStats {
  const sum = new Array<number>(channels).fill(0);
  const sumSq = new Array<number>(channels).fill(0);
  let count = 0;
  for (const p of parts) {
    for (let c = 0; c < channels; c++) {
      sum[c] += p.sum[c];
      sumSq[c] += p.sumSq[c];
    }
    count += p.count;
  }
  if (count === 0) throw new Error('channel statistics need at least one chip');
  const mean = sum.map((s) => s / count);
  const std = sumSq.map((s, c) => Math.sqrt(Math.max(0, s / count - mean[c] * mean[c])));
  return { mean, std };
}

/** Per-channel mean/std over every pixel of `chips` after fit + intensity (cfg.normalise is ignored). */
export function computeChannelStats(chips: Iterable<RawChip>, cfg: PreprocessConfig): ChannelStats {
  validatePreprocessConfig({ ...cfg, normalise: 'none' });
  const parts: Sums[] = [];
  for (const chip of chips) parts.push(chipSums(chip, cfg));
  return combine(parts, cfg.channels);
}

/** The same over one split (default 'train') of an imported dataset, decoding its files. */
export async function computeSplitStats(
  report: ImportReport,
  cfg: PreprocessConfig,
  opts: { split?: Split; signal?: AbortSignal; onProgress?(done: number, total: number): void } = {},
): Promise<ChannelStats> {
  validatePreprocessConfig({ ...cfg, normalise: 'none' });
  const samples = report.samples.filter((s) => s.split === (opts.split ?? 'train'));
  let done = 0;
  const parts = await mapWithConcurrency(samples, 4, async (s) => {
    const sums = chipSums(await decodeChipFile(s.path), cfg);
    opts.onProgress?.(++done, samples.length);
    return sums;
  }, opts.signal);
  return combine(parts, cfg.channels);
}
