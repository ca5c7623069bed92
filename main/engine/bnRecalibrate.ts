/**
 * Batch-norm population statistics ("precise BN"). The running averages a layer keeps while training
 * trail the weights and see augmented chips; on MSTAR they left inference 5–50 points below the
 * training-mode accuracy of the same weights (epoch-12 sarnet: 89 % → 97.6 % validation after
 * recalibration). At the end of each epoch every batch-norm layer's running mean and variance are
 * replaced by the average of the batch statistics over up to `maxChips` un-augmented training chips,
 * with the weights frozen — so the validated, saved and exported model uses the statistics of its
 * own weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet } from '../data/types.js';
import { gatherChips } from './batches.js';

interface MutableBatchNorm {
  momentum: number;
}

export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
}

/** Recomputes the running statistics in place; returns the number of chips used (0 when the model has no batch norm). */
export function recalibrateBatchNorm(model: tf.LayersModel, set: ChipTensorSet, opts: { batchSize: number; maxChips?: number }): number {
  const layers = batchNormLayers(model) as unknown as MutableBatchNorm[];
  if (layers.length === 0 || set.n < 2) return 0;
  const count = Math.min(set.n, opts.maxChips ?? 1024);
  // Evenly strided chips: deterministic, and every part of the (class-sorted) set is represented.
  const idx = Int32Array.from({ length: count }, (_, j) => Math.floor((j * set.n) / count));
  const batch = Math.max(2, opts.batchSize);
  const saved = layers.map((l) => l.momentum);
  try {
    let k = 0;
    for (let s = 0; s < count; s += batch) {
      const rows = idx.subarray(s, Math.min(count, s + batch));
      if (rows.length < 2) break;
      k += 1;
      // running ← running·(1 − 1/k) + batch/k: after k batches, the mean of the k batch statistics.
      for (const l of layers) l.momentum = 1 - 1 / k;
      tf.tidy(() => {
        const x = tf.tensor4d(gatherChips(set, rows), [rows.length, set.size, set.size, set.channels]);
        model.apply(x, { training: true });
      });
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = saved[i]));
  }
  return count;
}
