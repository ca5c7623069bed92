/**
 * The per-step AURA-KD loss, given the student's logits for every row of the step and the teachers'
 * logits for the distilled rows:
 *
 *   L = mean_all CE(z_S, y) + α · (1/|D|) · Σ_{i∈D} (w_off,i·l_off,i + w_on,i·l_on,i)
 *
 * D, the distilled rows, comes in three groups the trainer builds from what exists for each chip:
 *  both         chips with an offline and an online teacher: weights from `auraWeights` over this group
 *               (this is the set O of AURA-KD.md; z-scores and batch means use only these chips);
 *  offlineOnly  chips with only the offline teacher (KD; logitBank/naivePrevBatch chips with no online
 *               logits yet): w_off = 1, w_on = 0;
 *  onlineOnly   chips with only the online teacher (Self-KD): w_off = 0, w_on = 1.
 * Teacher logits must be constants (computed outside the gradient closure). The weights are computed
 * from stop-gradient copies of l_off/l_on, so no gradient flows through the uncertainty module.
 */
import * as tf from '@tensorflow/tfjs';
import { onlineTau, type DistillConfig } from './config.js';
import { auraWeights, crossEntropyPerSample, klPerSample, normalisedEntropy, stopGradient } from './losses.js';

export interface DistillGroups {
  both?: { rows: tf.Tensor1D; offline: tf.Tensor2D; online: tf.Tensor2D };
  offlineOnly?: { rows: tf.Tensor1D; offline: tf.Tensor2D };
  onlineOnly?: { rows: tf.Tensor1D; online: tf.Tensor2D };
}

export interface StepLossInput {
  /** Student logits for every row of the step [m, C]. */
  logits: tf.Tensor2D;
  /** int32 class index per row [m]. */
  labels: tf.Tensor1D;
  groups: DistillGroups;
  cfg: DistillConfig;
  /** Effective α of this step (after the warm-up ramp). */
  alpha: number;
}

export interface StepLoss {
  total: tf.Scalar;
  ce: tf.Scalar;
  /** Mean over D of w_off·l_off + w_on·l_on (before α). */
  distill: tf.Scalar;
  /** Mean l_off over the rows that have the offline teacher (0 when none). */
  off: tf.Scalar;
  /** Mean l_on over the rows that have the online teacher (0 when none). */
  on: tf.Scalar;
  /** w_off of every row in D, in group order both → offlineOnly → onlineOnly (empty when D is empty). */
  wOff: tf.Tensor1D;
}

/** Number of rows in the distillation set D. */
export function distilledRowCount(groups: DistillGroups): number {
  return (groups.both?.rows.shape[0] ?? 0) + (groups.offlineOnly?.rows.shape[0] ?? 0) + (groups.onlineOnly?.rows.shape[0] ?? 0);
}

/**
 * Rows `rows` of `x` as a one-hot selection matmul. Used instead of tf.gather on the student logits:
 * gather's gradient needs UnsortedSegmentSum, which the wasm backend does not have.
 */
export function selectRows(x: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(tf.oneHot(tf.cast(rows, 'int32'), x.shape[0]), x));
}

function meanOrZero(parts: tf.Tensor1D[]): tf.Scalar {
  const nonEmpty = parts.filter((p) => p.shape[0] > 0);
  if (nonEmpty.length === 0) return tf.scalar(0);
  return tf.mean(nonEmpty.length === 1 ? nonEmpty[0] : tf.concat(nonEmpty));
}

/** The loss of one step and its logged parts. Call inside the gradient closure; all outputs are new tensors. */
export function distillationLoss(input: StepLossInput): StepLoss {
  const { logits, labels, groups, cfg } = input;
  return tf.tidy(() => {
    const ce = tf.mean(crossEntropyPerSample(logits, labels)) as tf.Scalar;
    const d = distilledRowCount(groups);
    if (input.alpha === 0 || d === 0) {
      const zero = tf.scalar(0);
      return { total: ce, ce, distill: zero, off: zero, on: zero, wOff: tf.zeros([0]) as tf.Tensor1D };
    }
    const weighted: tf.Tensor1D[] = [];
    const wOffParts: tf.Tensor1D[] = [];
    const offTerms: tf.Tensor1D[] = [];
    const onTerms: tf.Tensor1D[] = [];
    if (groups.both && groups.both.rows.shape[0] > 0) {
      const { rows, offline, online } = groups.both;
      const student = selectRows(logits, rows);
      const lOff = klPerSample(offline, student, cfg.tau);
      const lOn = klPerSample(online, student, onlineTau(cfg));
      const rowLabels = tf.gather(labels, rows) as tf.Tensor1D;
      const w = auraWeights(
        {
          lOff: stopGradient(lOff),
          lOn: stopGradient(lOn),
          hT: normalisedEntropy(offline),
          hPrev: normalisedEntropy(online),
          ceT: crossEntropyPerSample(offline, rowLabels),
          cePrev: crossEntropyPerSample(online, rowLabels),
        },
        cfg,
      );
      weighted.push(tf.add(tf.mul(w.wOff, lOff), tf.mul(w.wOn, lOn)));
      wOffParts.push(w.wOff);
      offTerms.push(lOff);
      onTerms.push(lOn);
    }
    if (groups.offlineOnly && groups.offlineOnly.rows.shape[0] > 0) {
      const { rows, offline } = groups.offlineOnly;
      const lOff = klPerSample(offline, selectRows(logits, rows), cfg.tau);
      weighted.push(lOff);
      wOffParts.push(tf.onesLike(lOff));
      offTerms.push(lOff);
    }
    if (groups.onlineOnly && groups.onlineOnly.rows.shape[0] > 0) {
      const { rows, online } = groups.onlineOnly;
      const lOn = klPerSample(online, selectRows(logits, rows), onlineTau(cfg));
      weighted.push(lOn);
      wOffParts.push(tf.zerosLike(lOn));
      onTerms.push(lOn);
    }
    const distill = meanOrZero(weighted);
    const total = tf.add(ce, tf.mul(distill, input.alpha)) as tf.Scalar;
    return {
      total,
      ce,
      distill,
      off: meanOrZero(offTerms.map((t) => stopGradient(t))),
      on: meanOrZero(onTerms.map((t) => stopGradient(t))),
      wOff: wOffParts.length === 1 ? wOffParts[0] : (tf.concat(wOffParts) as tf.Tensor1D),
    };
  });
}
