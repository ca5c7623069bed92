/**
 * Chip → model input, a pure function of (raw chip, PreprocessConfig):
 * 1. channels: cfg.channels 1 takes the single band, or the LAST band of a 2-band chip (VV in
 *    OpenSARShip's VH,VV order; co-pol VV is the usual single-channel SAR input and matches the
 *    1-band VV chips); cfg.channels 2 keeps both bands, a 1-band chip is duplicated.
 * 2. fit: centre crop to size×size; a side shorter than size is padded with that band's median.
 *    Odd differences put the extra pixel at the bottom/right (offset = floor(diff / 2)).
 * 3. intensity: linear x; log ln(1 + max(x, 0)); db 10·log10(max(x, 1e-6)).
 * 4. normalise: chip → per-channel zero mean, unit std (population std, floored at 1e-6);
 *    dataset → (x − cfg.mean[c]) / max(cfg.std[c], 1e-6); none.
 * Output: Float32Array of size·size·channels, HWC.
 */
import type { PreprocessConfig, RawChip } from './types.js';

export const STD_FLOOR = 1e-6;
export const DB_FLOOR = 1e-6;

export function validatePreprocessConfig(cfg: PreprocessConfig): void {
  if (!Number.isInteger(cfg.size) || cfg.size < 1 || cfg.size > 4096) throw new RangeError(`preprocess size must be an integer 1–4096, got ${cfg.size}`);
  if (cfg.channels !== 1 && cfg.channels !== 2) throw new RangeError(`preprocess channels must be 1 or 2, got ${cfg.channels}`);
  if (cfg.fit !== 'crop') throw new RangeError(`preprocess fit must be 'crop', got ${String(cfg.fit)}`);
  if (!['linear', 'log', 'db'].includes(cfg.intensity)) throw new RangeError(`preprocess intensity must be linear, log or db, got ${String(cfg.intensity)}`);
  if (!['chip', 'dataset', 'none'].includes(cfg.normalise)) throw new RangeError(`preprocess normalise must be chip, dataset or none, got ${String(cfg.normalise)}`);
  if (cfg.normalise === 'dataset') {
    const ok = (v?: number[]): boolean => Array.isArray(v) && v.length === cfg.channels && v.every(Number.isFinite);
    if (!ok(cfg.mean) || !ok(cfg.std)) throw new RangeError(`normalise 'dataset' needs mean and std with ${cfg.channels} finite values`);
  }
}

/** Source band feeding each output channel. */
export function bandSelection(rawChannels: number, outChannels: 1 | 2): number[] {
  if (outChannels === 1) return [rawChannels - 1];
  return rawChannels >= 2 ? [rawChannels - 2, rawChannels - 1] : [0, 0];
}

/** Centre placement along one axis: where the source read starts, where the output write starts, how many. */
export function centreSpan(length: number, size: number): { src: number; dst: number; count: number } {
  if (length >= size) return { src: Math.floor((length - size) / 2), dst: 0, count: size };
  return { src: 0, dst: Math.floor((size - length) / 2), count: length };
}

/** Median of band `band` of an interleaved array (mean of the two middle values for even counts). */
export function bandMedian(data: Float32Array, channels: number, band: number): number {
  const n = data.length / channels;
  const values = new Float32Array(n);
  for (let p = 0; p < n; p++) values[p] = data[p * channels + band];
  values.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

export function applyIntensity(x: number, mode: PreprocessConfig['intensity']): number {
  if (mode === 'log') return Math.log1p(Math.max(x, 0));
  if (mode === 'db') return 10 * Math.log10(Math.max(x, DB_FLOOR));
  return x;
}

/** Steps 1–3 (no normalisation): the values channel statistics are computed on. */
export function fitAndTransform(raw: RawChip, cfg: PreprocessConfig): Float32Array {
  const { size } = cfg;
  const outC = cfg.channels;
  if (raw.data.length !== raw.width * raw.height * raw.channels) throw new RangeError(`raw chip data length ${raw.data.length} ≠ ${raw.width}×${raw.height}×${raw.channels}`);
  const bands = bandSelection(raw.channels, outC);
  const ys = centreSpan(raw.height, size);
  const xs = centreSpan(raw.width, size);
  const out = new Float32Array(size * size * outC);
  if (ys.count < size || xs.count < size) {
    const medians = bands.map((b) => bandMedian(raw.data, raw.channels, b));
    for (let p = 0; p < size * size; p++) for (let c = 0; c < outC; c++) out[p * outC + c] = medians[c];
  }
  for (let y = 0; y < ys.count; y++) {
    const srcRow = (ys.src + y) * raw.width;
    const dstRow = (ys.dst + y) * size;
    for (let x = 0; x < xs.count; x++) {
      const s = (srcRow + xs.src + x) * raw.channels;
      const d = (dstRow + xs.dst + x) * outC;
      for (let c = 0; c < outC; c++) out[d + c] = raw.data[s + bands[c]];
    }
  }
  if (cfg.intensity !== 'linear') for (let k = 0; k < out.length; k++) out[k] = applyIntensity(out[k], cfg.intensity);
  return out;
}

/** Per-channel mean and population std of an HWC array. */
export function channelMeanStd(x: Float32Array, channels: number): { mean: number[]; std: number[] } {
  const n = x.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let p = 0; p < n; p++) sum += x[p * channels + c];
    const m = sum / n;
    let sq = 0;
    for (let p = 0; p < n; p++) sq += (x[p * channels + c] - m) ** 2;
    mean.push(m);
    std.push(Math.sqrt(sq / n));
  }
  return { mean, std };
}

export function preprocessChip(raw: RawChip, cfg: PreprocessConfig): Float32Array {
  validatePreprocessConfig(cfg);
  const out = fitAndTransform(raw, cfg);
  if (cfg.normalise === 'none') return out;
  const C = cfg.channels;
  const stats = cfg.normalise === 'chip' ? channelMeanStd(out, C) : { mean: cfg.mean!, std: cfg.std! };
  for (let k = 0; k < out.length; k++) {
    const c = k % C;
    out[k] = (out[k] - stats.mean[c]) / Math.max(stats.std[c], STD_FLOOR);
  }
  return out;
}
