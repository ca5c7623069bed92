/**
 * Conv2DBackpropInput for the wasm backend, replacing the stock single-threaded scalar loop with
 * XNNPACK work: stride-1 convolutions on large feature maps run as one convolution with the rotated
 * filter (input_grad_by_conv.ts); strided ones and small feature maps run as one matrix product plus
 * col2im (input_grad_by_matmul.ts), where a convolution would spend its time re-packing large filters
 * or on a 1-channel output. Measured on ResNet18 at 64×64 (2 threads): stride-2 layers 2–27× faster by
 * matrix product, 16×16 and 8×8 maps 1.5–2× faster by convolution.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { inputGradByMatmul } from './input_grad_by_matmul.js';
import { inputGradByConv } from './input_grad_by_conv.js';
import { withKernelScope, type TensorInfo } from './kernel_calls.js';
import { geometryOf, type ConvGeometry } from './patches.js';

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export type InputGradRoute = 'conv' | 'matmul';

/** Output maps with at least this many pixels per chip use the convolution route at stride 1. */
export const CONV_ROUTE_MIN_PIXELS = 64;

/** Which route computes the input gradient of this convolution. */
export function inputGradRoute(g: ConvGeometry): InputGradRoute {
  return g.strideH === 1 && g.strideW === 1 && g.outH * g.outW >= CONV_ROUTE_MIN_PIXELS ? 'conv' : 'matmul';
}

export function conv2dBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as BackpropInputAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('wasm Conv2DBackpropInput: only NHWC data is supported');
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (dy.shape[1] !== info.outHeight || dy.shape[2] !== info.outWidth || dy.shape[3] !== info.outChannels) {
    throw new Error(`wasm Conv2DBackpropInput: dy shape [${dy.shape}] does not match the forward output [${info.outShape}]`);
  }
  const g = geometryOf(info);
  return withKernelScope(backend, (scope) =>
    inputGradRoute(g) === 'conv' ? inputGradByConv(scope, dy, filter, g) : inputGradByMatmul(scope, dy, filter, g),
  );
}

export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
