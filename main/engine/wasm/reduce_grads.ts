/**
 * Gradients of Sum and Mean without tfjs-core's `ones(x.shape)`, which builds the ones in a JavaScript
 * array and uploads them (~4 ms for a [32,32,32,64] batch-norm input on wasm, twice per batch norm
 * through `moments`). Here the broadcast factor comes from the backend's Fill kernel:
 *   ∂Sum/∂x = dy ⊙ 1,   ∂Mean/∂x = dy ⊙ (1/n),   dy reshaped to keep the reduced axes.
 * Same values as tfjs-core's (the mean's 1/n is applied before instead of after the broadcast, a
 * ≤ 1-ulp difference), so these replace them for every backend.
 */
import * as tf from '@tensorflow/tfjs';

function broadcastGrad(dyIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap, mean: boolean) {
  const dy = dyIn as tf.Tensor;
  const [x] = saved;
  const axes = tf.util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
  const expanded = x.shape.slice();
  for (const a of axes) expanded[a] = 1;
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return { x: () => tf.mul(tf.reshape(dy, expanded), tf.fill(x.shape, mean ? 1 / count : 1, 'float32')) };
}

export const sumGradConfig: tf.GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => broadcastGrad(dy, saved, attrs, false),
};

export const meanGradConfig: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => broadcastGrad(dy, saved, attrs, true),
};
