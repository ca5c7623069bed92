/**
 * AURA-KD loss terms and the uncertainty module, as pure tensor functions (see AURA-KD.md).
 *
 * Every function takes and returns tensors and cleans up its own intermediates; the caller owns the
 * result. Per-chip terms are 1-D tensors of length n (one value per chip).
 */
import * as tf from '@tensorflow/tfjs';
import type { DistillConfig } from './config.js';

/** Guard for ratios whose denominator can be exactly 0 (both losses or entropies zero). */
const RATIO_GUARD = 1e-12;

/**
 * Per-chip τ² · KL(p^τ(teacher) ‖ p^τ(student)), forward KL. Shape [n].
 *
 * With d = (z_T − z_S)/τ: KL = Σ_c p_t,c·d_c − log Σ_c p_s,c·e^{d_c}. The log term is evaluated as
 * m + log1p(Σ_c p_s,c·(e^{x_c} − 1)), x = d − m, m = logsumexp_c(log p_s,c + d_c) (its float32
 * estimate; the log1p/expm1 correction recovers what m's rounding lost). This keeps float32 accurate
 * when the two distributions are close (l_on is ~100× smaller than l_off; the plain
 * Σ p_t(log p_t − log p_s) loses ~5e-4 relative there, enough to move the z-scored weights by 3e-5).
 * Each correction term is p_s·expm1(x) for x ≤ 0 and e^{log p_s + x}·(−expm1(−x)) for x > 0, both
 * bounded, so the result is finite and differentiable for any logits (no data-dependent branches).
 */
export function klPerSample(teacherLogits: tf.Tensor2D, studentLogits: tf.Tensor2D, tau: number): tf.Tensor1D {
  if (!(tau > 0)) throw new Error(`klPerSample: temperature must be > 0, got ${tau}`);
  if (teacherLogits.shape[0] !== studentLogits.shape[0] || teacherLogits.shape[1] !== studentLogits.shape[1]) {
    throw new Error(`klPerSample: logits shapes differ (${teacherLogits.shape} vs ${studentLogits.shape})`);
  }
  return tf.tidy(() => {
    const a = tf.div(teacherLogits, tau);
    const b = tf.div(studentLogits, tau);
    const pt = tf.softmax(a);
    const logPs = tf.logSoftmax(b);
    const d = tf.sub(a, b);
    const m = tf.logSumExp(tf.add(logPs, d), -1, true);
    const x = tf.sub(d, m);
    const xNeg = tf.minimum(x, 0);
    const xPos = tf.maximum(x, 0);
    const terms = tf.add(tf.mul(tf.exp(logPs), tf.expm1(xNeg)), tf.mul(tf.exp(tf.add(logPs, xPos)), tf.neg(tf.expm1(tf.neg(xPos)))));
    const logRatio = tf.add(tf.squeeze(m, [1]), tf.log1p(tf.sum(terms, -1)));
    const kl = tf.sub(tf.sum(tf.mul(pt, d), -1), logRatio);
    return tf.mul(kl, tau * tau) as tf.Tensor1D;
  });
}

/** Per-chip entropy of softmax(logits) at τ = 1, divided by log C: in [0, 1]. Shape [n]. */
export function normalisedEntropy(logits: tf.Tensor2D): tf.Tensor1D {
  const classes = logits.shape[1];
  if (classes < 2) throw new Error(`normalisedEntropy: need at least 2 classes, got ${classes}`);
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits);
    const h = tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), -1));
    return tf.div(h, Math.log(classes)) as tf.Tensor1D;
  });
}

/** Per-chip cross-entropy −log softmax(logits)[label]; labels are int32 class indices. Shape [n]. */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), -1)) as tf.Tensor1D;
  });
}

const stopGradientOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => [tf.zerosLike(dy)] };
});

/** Identity in the forward pass, zero gradient in the backward pass: sg(x). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T;
}

/** Detached per-chip inputs of the uncertainty module, all shape [n] over the chips that have both teachers. */
export interface AuraWeightInputs {
  /** l_off: τ²·KL(offline teacher ‖ student). */
  lOff: tf.Tensor1D;
  /** l_on: τ²·KL(online teacher ‖ student). */
  lOn: tf.Tensor1D;
  /** Ĥ_T: normalised entropy of the offline teacher. */
  hT: tf.Tensor1D;
  /** Ĥ_prev: normalised entropy of the online teacher. */
  hPrev: tf.Tensor1D;
  /** CE(z_T, y), needed by weighting 'camkd' only. */
  ceT?: tf.Tensor1D;
  /** CE(z_prev, y), needed by weighting 'camkd' only. */
  cePrev?: tf.Tensor1D;
}

export interface AuraWeights {
  wOff: tf.Tensor1D;
  wOn: tf.Tensor1D;
}

/** Batch z-score with the population std: (l − mean) / (std + ε). */
function zscore(l: tf.Tensor1D, epsilon: number): tf.Tensor1D {
  const { mean, variance } = tf.moments(l);
  return tf.div(tf.sub(l, mean), tf.add(tf.sqrt(variance), epsilon));
}

/**
 * ΔL_i, the normalised loss difference between the offline and the online teacher:
 *  zscore:   clip(zo − zn, −3, 3) / 3                (AURA-KD.md default)
 *  relative: (l_off − l_on) / (l_off + l_on)         (denominator guarded by 1e-12)
 *  raw:      l_off − l_on                            (unscaled, unclipped)
 *  none:     0                                       (entropies alone decide)
 */
export function lossDelta(lOff: tf.Tensor1D, lOn: tf.Tensor1D, cfg: Pick<DistillConfig, 'lossNorm' | 'epsilon'>): tf.Tensor1D {
  return tf.tidy(() => {
    switch (cfg.lossNorm) {
      case 'zscore':
        return tf.div(tf.clipByValue(tf.sub(zscore(lOff, cfg.epsilon), zscore(lOn, cfg.epsilon)), -3, 3), 3);
      case 'relative':
        return tf.div(tf.sub(lOff, lOn), tf.add(tf.add(lOff, lOn), RATIO_GUARD));
      case 'raw':
        return tf.sub(lOff, lOn);
      case 'none':
        return tf.zerosLike(lOff);
    }
  }) as tf.Tensor1D;
}

/**
 * Per-teacher normalised loss terms L_k for N teachers, defined so that for two teachers
 * L_off − L_on equals `lossDelta` exactly:
 *  zscore:   L_k = clip(z_k − mean_j z_j, −1.5, 1.5) / 3   (z_k: batch z-score of teacher k's loss)
 *  relative: L_k = l_k / Σ_j l_j
 *  raw:      L_k = l_k
 *  none:     L_k = 0
 */
export function teacherLossTerms(losses: tf.Tensor1D[], cfg: Pick<DistillConfig, 'lossNorm' | 'epsilon'>): tf.Tensor1D[] {
  return tf.tidy(() => {
    switch (cfg.lossNorm) {
      case 'zscore': {
        const z = losses.map((l) => zscore(l, cfg.epsilon));
        const zMean = tf.div(tf.addN(z), z.length);
        return z.map((zk) => tf.div(tf.clipByValue(tf.sub(zk, zMean), -1.5, 1.5), 3));
      }
      case 'relative': {
        const total = tf.add(tf.addN(losses), RATIO_GUARD);
        return losses.map((l) => tf.div(l, total));
      }
      case 'raw':
        return losses.map((l) => tf.clone(l));
      case 'none':
        return losses.map((l) => tf.zerosLike(l));
    }
  }) as tf.Tensor1D[];
}

/**
 * 'softmaxNegU' for N teachers: U_k,i = β·Ĥ_k,i + γ·L_k,i (L_k from `teacherLossTerms`),
 * w_k,i = softmax_k(−U_k,i). With granularity 'batch', U_k is first averaged over the chips and the
 * one weight per teacher is broadcast to every chip. For two teachers this is exactly 'sigmoidDiff':
 * softmax(−U)_off = sigmoid(−(U_off − U_on)) = sigmoid(−(β·ΔH + γ·ΔL)).
 */
export function softmaxNegUWeights(
  entropies: tf.Tensor1D[],
  losses: tf.Tensor1D[],
  cfg: Pick<DistillConfig, 'lossNorm' | 'epsilon' | 'beta' | 'gamma' | 'granularity'>,
): tf.Tensor1D[] {
  if (entropies.length !== losses.length || entropies.length < 1) {
    throw new Error('softmaxNegUWeights: need one entropy and one loss tensor per teacher');
  }
  return tf.tidy(() => {
    const terms = teacherLossTerms(losses, cfg);
    let u = tf.stack(entropies.map((h, k) => tf.add(tf.mul(h, cfg.beta), tf.mul(terms[k], cfg.gamma))), 1); // [n, K]
    const n = u.shape[0];
    if (cfg.granularity === 'batch') u = tf.tile(tf.mean(u, 0, true), [n, 1]);
    const w = tf.softmax(tf.neg(u));
    return tf.unstack(w, 1);
  }) as tf.Tensor1D[];
}

/** Reduce a per-chip value to its mean over the chips, broadcast back to every chip (granularity 'batch'). */
function batchMean(x: tf.Tensor1D): tf.Tensor1D {
  return tf.mul(tf.onesLike(x), tf.mean(x));
}

/**
 * The uncertainty module: per-chip (or per-batch) weights of the offline and the online teacher.
 * Inputs must be detached (they are in the trainer: computed from stop-gradient logits).
 *
 *  sigmoidDiff  w_off = sigmoid(−(β·ΔH + γ·ΔL)), ΔH = Ĥ_T − Ĥ_prev, ΔL from `lossDelta` (default)
 *  softmaxNegU  softmax over −U_k, U_k = β·Ĥ_k + γ·L_k (see `softmaxNegUWeights`); = sigmoidDiff for two teachers
 *  ebkdRatio    w_off = Ĥ_prev / (Ĥ_T + Ĥ_prev)   (0.5 when both entropies are 0)
 *  camkd        w_off = sigmoid(CE(z_prev, y) − CE(z_T, y))
 *  fixed        0.5 / 0.5;  offlineOnly 1 / 0;  onlineOnly 0 / 1
 *
 * distill.offlinePrior b (this product's extension; 0 = AURA-KD.md) then shifts w_off's log-odds by b
 * for every weighting (see `shiftLogOdds`); the saturated offlineOnly / onlineOnly stay 1 / 0.
 *
 * Granularity 'batch' averages the per-chip inputs (ΔH and ΔL; the entropies for ebkdRatio, the CEs for
 * camkd) over the chips before the formula, giving one weight for all chips. w_on = 1 − w_off always.
 */
export function auraWeights(inputs: AuraWeightInputs, cfg: DistillConfig): AuraWeights {
  const { lOff, lOn, hT, hPrev } = inputs;
  const n = lOff.shape[0];
  for (const [name, t] of Object.entries(inputs)) {
    if (t && t.shape[0] !== n) throw new Error(`auraWeights: input ${name} has ${t.shape[0]} chips, expected ${n}`);
  }
  if (cfg.weighting === 'camkd' && (!inputs.ceT || !inputs.cePrev)) {
    throw new Error("auraWeights: weighting 'camkd' needs ceT and cePrev");
  }
  const perBatch = cfg.granularity === 'batch';
  const reduce = (x: tf.Tensor1D): tf.Tensor1D => (perBatch ? batchMean(x) : x);
  let wOff = tf.tidy(() => {
    switch (cfg.weighting) {
      case 'sigmoidDiff': {
        const dH = reduce(tf.sub(hT, hPrev));
        const dL = reduce(lossDelta(lOff, lOn, cfg));
        return tf.sigmoid(tf.neg(tf.add(tf.mul(dH, cfg.beta), tf.mul(dL, cfg.gamma))));
      }
      case 'softmaxNegU':
        return softmaxNegUWeights([hT, hPrev], [lOff, lOn], cfg)[0];
      case 'ebkdRatio': {
        const hOff = reduce(hT);
        const hOn = reduce(hPrev);
        return tf.div(tf.add(hOn, RATIO_GUARD), tf.add(tf.add(hOff, hOn), 2 * RATIO_GUARD));
      }
      case 'camkd':
        return tf.sigmoid(tf.sub(reduce(inputs.cePrev as tf.Tensor1D), reduce(inputs.ceT as tf.Tensor1D)));
      case 'fixed':
        return tf.fill([n], 0.5);
      case 'offlineOnly':
        return tf.ones([n]);
      case 'onlineOnly':
        return tf.zeros([n]);
    }
  }) as tf.Tensor1D;
  if (cfg.offlinePrior !== 0) {
    const unshifted = wOff;
    wOff = shiftLogOdds(unshifted, cfg.offlinePrior);
    unshifted.dispose();
  }
  const wOn = tf.tidy(() => tf.sub(1, wOff)) as tf.Tensor1D;
  return { wOff, wOn };
}

/**
 * w' = sigmoid(logit(w) + b), computed as w·e^b / (w·e^b + 1 − w) so that w = 0 and w = 1 stay exactly
 * 0 and 1 (offlineOnly / onlineOnly are unaffected) and no logit of a saturated weight is taken.
 * For sigmoidDiff this is sigmoid(b − (β·ΔH + γ·ΔL)).
 */
export function shiftLogOdds(w: tf.Tensor1D, b: number): tf.Tensor1D {
  return tf.tidy(() => {
    const scaled = tf.mul(w, Math.exp(b));
    return tf.div(scaled, tf.add(scaled, tf.sub(1, w)));
  }) as tf.Tensor1D;
}
