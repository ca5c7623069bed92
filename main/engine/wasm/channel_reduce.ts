/**
 * Sum and Mean over all axes but the last (per-channel sums of NHWC tensors: batch-norm statistics and
 * gradients) for the wasm backend. The stock kernels first transpose the whole tensor so the reduced
 * axes come last (5.0 ms for [32,32,32,64]); here x, viewed as [A, rest, 1, C], goes through XNNPACK's
 * average pooling over `rest` (vectorised across channels, 0.5 ms), and the small [A, C] result is
 * reduced over A by the stock kernel. Any other reduction goes to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelScope, withKernelScope, type TensorInfo } from './kernel_calls.js';

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

/** True when `axes` are exactly every axis but the last of a tensor of rank ≥ 3. */
export function reducesAllButLast(axes: number[], rank: number): boolean {
  if (rank < 3 || axes.length !== rank - 1) return false;
  return [...axes].sort((a, b) => a - b).every((a, i) => a === i);
}

function channelReduce(name: 'Sum' | 'Mean') {
  return (args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }): TensorInfo => {
    const backend = args.backend as BackendWasm;
    const { x } = args.inputs as { x: TensorInfo };
    const attrs = args.attrs as unknown as ReduceAttrs;
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape);
    if (x.dtype !== 'float32' || !reducesAllButLast(axes, rank) || x.shape.some((d) => d === 0)) {
      const scope = new KernelScope(backend);
      return scope.keep(scope.run(name, { x }, { axis: attrs.axis, keepDims: attrs.keepDims }));
    }
    const a = x.shape[0];
    const c = x.shape[rank - 1];
    const rest = x.shape.slice(1, rank - 1).reduce((p, d) => p * d, 1);
    const outShape = attrs.keepDims ? [...x.shape.slice(0, rank - 1).map(() => 1), c] : [c];
    return withKernelScope(backend, (scope) => {
      const pooled = scope.run('AvgPool', { x: scope.reshape(x, [a, rest, 1, c]) }, { filterSize: [rest, 1], strides: 1, pad: 'valid', dimRoundingMode: null });
      let perChannel = scope.run(name, { x: scope.reshape(pooled, [a, c]) }, { axis: 0, keepDims: false });
      if (name === 'Sum') perChannel = scope.run('Multiply', { a: perChannel, b: scope.run('Fill', {}, { shape: [], value: rest, dtype: 'float32' }) });
      return scope.reshape(perChannel, outShape);
    });
  };
}

export const sumWasmConfig: tf.KernelConfig = { kernelName: tf.Sum, backendName: 'wasm', kernelFunc: channelReduce('Sum') as unknown as tf.KernelFunc };
export const meanWasmConfig: tf.KernelConfig = { kernelName: tf.Mean, backendName: 'wasm', kernelFunc: channelReduce('Mean') as unknown as tf.KernelFunc };
