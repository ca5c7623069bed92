/**
 * Training-time augmentation of a preprocessed NHWC batch (everything off by default).
 * Per chip, in this order and drawing from `rng` only for enabled parts:
 *  - shift: integer dx, dy uniform in [−shift, shift]; out(y, x) = in(clamp(y − dy), clamp(x − dx)),
 *    i.e. content moves by (dx, dy) and the vacated border repeats the edge pixel (no wrap-around);
 *  - flip: with probability ½ mirror left↔right;
 *  - speckle: every value multiplied by Gamma(L, 1)/L (mean 1, variance 1/L), L = speckleLooks.
 *    It multiplies the values as given, so it models radar speckle when the batch holds linear
 *    intensities; on log/dB or normalised inputs it acts as plain multiplicative noise.
 * Returns a new array; the input is never modified.
 */
import { randomGamma, type Rng } from './random.js';
import type { AugmentConfig } from './types.js';

export function validateAugmentConfig(cfg: AugmentConfig): void {
  if (!Number.isInteger(cfg.shift) || cfg.shift < 0) throw new RangeError(`augment shift must be an integer ≥ 0, got ${cfg.shift}`);
  if (!Number.isFinite(cfg.speckleLooks) || cfg.speckleLooks < 0) throw new RangeError(`augment speckleLooks must be ≥ 0, got ${cfg.speckleLooks}`);
}

export function isAugmentOff(cfg: AugmentConfig): boolean {
  return cfg.shift === 0 && !cfg.flip && cfg.speckleLooks === 0;
}

function randomInt(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function augmentBatch(batch: Float32Array, n: number, size: number, channels: number, cfg: AugmentConfig, rng: Rng): Float32Array {
  validateAugmentConfig(cfg);
  const per = size * size * channels;
  if (batch.length !== n * per) throw new RangeError(`batch length ${batch.length} ≠ ${n}×${size}×${size}×${channels}`);
  if (isAugmentOff(cfg)) return batch.slice();
  const out = new Float32Array(batch.length);
  const last = size - 1;
  for (let i = 0; i < n; i++) {
    const base = i * per;
    const dx = cfg.shift > 0 ? randomInt(rng, -cfg.shift, cfg.shift) : 0;
    const dy = cfg.shift > 0 ? randomInt(rng, -cfg.shift, cfg.shift) : 0;
    const flip = cfg.flip && rng() < 0.5;
    for (let y = 0; y < size; y++) {
      const sy = Math.min(last, Math.max(0, y - dy));
      for (let x = 0; x < size; x++) {
        const xx = flip ? last - x : x;
        const sx = Math.min(last, Math.max(0, xx - dx));
        const s = base + (sy * size + sx) * channels;
        const d = base + (y * size + x) * channels;
        for (let c = 0; c < channels; c++) out[d + c] = batch[s + c];
      }
    }
    if (cfg.speckleLooks > 0) {
      const L = cfg.speckleLooks;
      for (let k = base; k < base + per; k++) out[k] *= randomGamma(rng, L) / L;
    }
  }
  return out;
}
