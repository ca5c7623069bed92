/**
 * Gradient of FusedBatchNorm without tfjs-core's full-size `Tile`.
 *
 * y = (x − μ) · r · γ + β with r = 1/√(σ² + ε). With per-channel S₁ = Σ dy and S₂ = Σ dy·(x − μ)
 * (sums over every axis but the channel one):
 *   ∂x = dy · (γ·r)          ∂μ = −γ·r·S₁          ∂σ² = −½·γ·r³·S₂
 *   ∂γ = r·S₂                ∂β = S₁
 * Per-channel factors broadcast against dy instead of being tiled to its shape, and the two channel
 * sums are computed once for all five gradients (tfjs-core computes the same sums once per input).
 * Same maths as tfjs-core's version, so this replaces it for every backend.
 */
import * as tf from '@tensorflow/tfjs';

function channelSum(t: tf.Tensor, axes: number[], shape: number[]): tf.Tensor {
  return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, shape);
}

export const batchNormGradConfig: tf.GradConfig = {
  kernelName: tf.FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const dy = dyIn as tf.Tensor;
    const eps = (attrs as unknown as { varianceEpsilon: number }).varianceEpsilon;
    const [x, mean, variance, scale] = saved;
    const axes = tf.backend_util.getReductionAxes(mean.shape, x.shape);
    const gamma = scale ?? tf.scalar(1);
    const r = tf.rsqrt(tf.add(variance, tf.scalar(eps)));
    const s1 = channelSum(dy, axes, mean.shape);
    const s2 = tf.tidy(() => channelSum(tf.mul(dy, tf.sub(x, mean)), axes, mean.shape));
    return {
      x: () => tf.mul(dy, tf.mul(gamma, r)),
      mean: () => tf.reshape(tf.neg(tf.mul(tf.mul(gamma, r), s1)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.scalar(-0.5), tf.mul(gamma, tf.pow(r, tf.scalar(3)))), s2), mean.shape),
      scale: () => tf.reshape(tf.mul(r, s2), mean.shape),
      offset: () => tf.clone(s1),
    };
  },
};
