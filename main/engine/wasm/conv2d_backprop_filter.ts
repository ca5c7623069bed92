/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 has none, so no conv net can train on wasm).
 * Large feature maps run as one XNNPACK convolution (filter_grad_by_conv.ts); small maps, 1×1 kernels
 * and 1-channel inputs as one matrix product of the patch matrix (filter_grad_by_matmul.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradByConv } from './filter_grad_by_conv.js';
import { filterGradByMatmul } from './filter_grad_by_matmul.js';
import { withKernelScope, type TensorInfo } from './kernel_calls.js';
import { geometryOf, type ConvGeometry } from './patches.js';

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export type FilterGradRoute = 'conv' | 'matmul';

/** Output maps with at least this many pixels per chip use the convolution route (unless 1×1 or 1-channel). */
export const FILTER_CONV_MIN_PIXELS = 64;

/**
 * Which route computes the filter gradient. Measured on ResNet18/SARNet layers (2 threads): the patch
 * product wins on maps under 8×8, on 1×1 kernels (no patch expansion) and on 1-channel inputs; the
 * convolution wins 1.2–2.2× on larger maps with several channels.
 */
export function filterGradRoute(g: ConvGeometry): FilterGradRoute {
  if (g.outH * g.outW < FILTER_CONV_MIN_PIXELS || (g.kH === 1 && g.kW === 1) || g.inC === 1) return 'matmul';
  return 'conv';
}

export function conv2dBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropFilter: only NHWC data is supported');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) {
    throw new Error(`wasm Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the forward output [${info.outShape}]`);
  }
  const g = geometryOf(info);
  return withKernelScope(backend, (scope) =>
    filterGradRoute(g) === 'conv' ? filterGradByConv(scope, x, dy, g) : filterGradByMatmul(scope, x, dy, g),
  );
}

export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
