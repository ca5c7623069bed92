/** Batched inference in inference mode (batch norm running statistics), tidy per batch. */
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet } from '../data/types.js';

export interface ChipArray {
  x: Float32Array;
  n: number;
  size: number;
  channels: number;
}

/** Check that a model's input shape matches chips of `size` × `size` × `channels`. */
export function assertInputShape(model: tf.LayersModel, size: number, channels: number): void {
  const shape = model.inputs[0].shape;
  if (shape[1] !== size || shape[2] !== size || shape[3] !== channels) {
    throw new Error(`model expects ${shape[1]}×${shape[2]}×${shape[3]} chips, got ${size}×${size}×${channels}`);
  }
}

/** Logits for chips [start, end) of `set`, as one tensor (caller disposes). */
export function logitsForRange(model: tf.LayersModel, set: ChipArray, start: number, end: number): tf.Tensor2D {
  const per = set.size * set.size * set.channels;
  return tf.tidy(() => {
    const x = tf.tensor4d(set.x.subarray(start * per, end * per), [end - start, set.size, set.size, set.channels]);
    return model.apply(x, { training: false }) as tf.Tensor2D;
  });
}

/** Logits for every chip of `set` [n, C], computed `batchSize` chips at a time (caller disposes). */
export function predictLogits(model: tf.LayersModel, set: ChipArray | ChipTensorSet, batchSize = 64): tf.Tensor2D {
  if (!(batchSize >= 1)) throw new Error(`predictLogits: batchSize must be ≥ 1, got ${batchSize}`);
  assertInputShape(model, set.size, set.channels);
  if (set.x.length !== set.n * set.size * set.size * set.channels) {
    throw new Error(`predictLogits: ${set.x.length} values do not make ${set.n} chips of ${set.size}×${set.size}×${set.channels}`);
  }
  if (set.n === 0) return tf.tidy(() => tf.zeros([0, model.outputs[0].shape[1] as number]) as tf.Tensor2D);
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < set.n; start += batchSize) {
    parts.push(logitsForRange(model, set, start, Math.min(set.n, start + batchSize)));
  }
  if (parts.length === 1) return parts[0];
  const all = tf.concat(parts) as tf.Tensor2D;
  parts.forEach((p) => p.dispose());
  return all;
}
