/**
 * Conv2DBackpropFilter for the wasm backend (tfjs 4.22 has none, so no conv net can train on wasm).
 *
 *   dW[kh, kw, ci, co] = Σ_{b, oh, ow} xpad[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co]
 *
 * is one ordinary convolution run by XNNPACK: the input transposed to [Ci, H, W, B] (batch becomes
 * channels) convolved with the output gradient transposed to [OH, OW, B, Co] as the filter, with
 * dilation = forward stride and the forward padding; its output [Ci, KH, KW, Co] transposed back.
 * Rows/columns the forward pass never read are cropped from the input first.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withKernelScope, type TensorInfo } from './kernel_calls.js';

interface BackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/** Extent of the input the forward pass read along one axis, and the padding it needs. */
function axisPlan(inSize: number, outSize: number, kernel: number, stride: number, padBefore: number) {
  const needed = kernel + (outSize - 1) * stride; // padded extent read by the forward convolution
  const padAfter = needed - padBefore - inSize;
  return padAfter >= 0 ? { keep: inSize, padAfter } : { keep: inSize + padAfter, padAfter: 0 };
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
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== outChannels) {
    throw new Error(`wasm Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the forward output [${info.outShape}]`);
  }
  return withKernelScope(backend, (scope) => {
    const rows = axisPlan(inHeight, outHeight, filterHeight, strideHeight, top);
    const cols = axisPlan(inWidth, outWidth, filterWidth, strideWidth, left);
    const xUsed = scope.slice(x, [0, 0, 0, 0], [batchSize, rows.keep, cols.keep, inChannels]);
    const xT = scope.transpose(xUsed, [3, 1, 2, 0]); // [Ci, H, W, B]
    const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
    const g = scope.conv2d(xT, dyT, [top, rows.padAfter, left, cols.padAfter], [strideHeight, strideWidth]);
    return scope.transpose(g, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  });
}

export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
