/**
 * Conv2DBackpropInput for the wasm backend, replacing the stock single-threaded scalar loop with
 * ordinary XNNPACK convolutions.
 *
 * The input gradient of a stride-s convolution splits by output phase: rows ih ≡ ry (mod s) only
 * receive the filter taps kh ≡ (ry + padTop) (mod s). Each phase (ry, rx) is a stride-1 convolution of
 * dy with the matching taps of the filter, flipped and with in/out channels swapped; the phases are
 * then interleaved back into dx. Stride 1 is the single phase: dy convolved with the rotated filter.
 * The work equals the true transposed convolution (no zero-inserted dy).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { withKernelScope, type KernelScope, type TensorInfo } from './kernel_calls.js';

interface BackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** How one output phase along one axis is computed: which taps, which dy rows, which padding. */
export interface AxisPhase {
  /** Number of filter taps of this phase (0: the phase receives no gradient). */
  taps: number;
  /** First tap in the flipped filter; taps are taken every `stride`. */
  firstFlippedTap: number;
  /** dy rows [cropBegin, cropBegin + cropSize) feed the phase. */
  cropBegin: number;
  cropSize: number;
  padBefore: number;
  padAfter: number;
}

/**
 * Plan the `stride` phases along one axis. Phase p produces dx rows p, p + s, p + 2s, … (`perPhase`
 * of them, the last ones possibly beyond the input and cropped after interleaving).
 */
export function planAxisPhases(inSize: number, dySize: number, kernel: number, stride: number, padBefore: number): { perPhase: number; phases: AxisPhase[] } {
  const perPhase = Math.ceil(inSize / stride);
  const phases: AxisPhase[] = [];
  for (let p = 0; p < stride; p++) {
    const tap0 = (((p + padBefore) % stride) + stride) % stride; // first forward tap reaching this phase
    const shift = (p + padBefore - tap0) / stride; // dy row of tap0 for the phase's first output
    const taps = tap0 < kernel ? Math.ceil((kernel - tap0) / stride) : 0;
    const start = shift - (taps - 1); // dy row read by the first flipped tap
    const span = perPhase + taps - 1;
    const cropBegin = Math.max(start, 0);
    const cropEnd = Math.min(start + span, dySize);
    if (taps === 0 || cropEnd <= cropBegin) {
      phases.push({ taps: 0, firstFlippedTap: 0, cropBegin: 0, cropSize: 0, padBefore: 0, padAfter: 0 });
      continue;
    }
    phases.push({
      taps,
      firstFlippedTap: kernel - 1 - tap0 - stride * (taps - 1),
      cropBegin,
      cropSize: cropEnd - cropBegin,
      padBefore: Math.max(-start, 0),
      padAfter: Math.max(start + span - dySize, 0),
    });
  }
  return { perPhase, phases };
}

/** The flipped, channel-swapped taps of one phase: [th, tw, Co, Ci]. */
function phaseFilter(scope: KernelScope, flipped: TensorInfo, ph: AxisPhase, pw: AxisPhase, sh: number, sw: number): TensorInfo {
  const [kh, kw, co, ci] = flipped.shape;
  if (ph.taps === kh && pw.taps === kw) return flipped;
  return scope.run(
    'StridedSlice',
    { x: flipped },
    {
      begin: [ph.firstFlippedTap, pw.firstFlippedTap, 0, 0],
      end: [ph.firstFlippedTap + (ph.taps - 1) * sh + 1, pw.firstFlippedTap + (pw.taps - 1) * sw + 1, co, ci],
      strides: [sh, sw, 1, 1],
      beginMask: 0,
      endMask: 0,
      ellipsisMask: 0,
      newAxisMask: 0,
      shrinkAxisMask: 0,
    },
  );
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
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight: sh, strideWidth: sw } = info;
  if (dy.shape[1] !== outHeight || dy.shape[2] !== outWidth || dy.shape[3] !== info.outChannels) {
    throw new Error(`wasm Conv2DBackpropInput: dy shape [${dy.shape}] does not match the forward output [${info.outShape}]`);
  }
  const rows = planAxisPhases(inHeight, outHeight, filterHeight, sh, info.padInfo.top);
  const cols = planAxisPhases(inWidth, outWidth, filterWidth, sw, info.padInfo.left);
  return withKernelScope(backend, (scope) => {
    const swapped = scope.transpose(filter, [0, 1, 3, 2]); // [KH, KW, Co, Ci]
    const flipped = scope.run('Reverse', { x: swapped }, { dims: [0, 1] });
    const phaseShape = [batchSize, rows.perPhase, cols.perPhase, inChannels];
    const phaseOut = (ph: AxisPhase, pw: AxisPhase): TensorInfo => {
      if (ph.taps === 0 || pw.taps === 0) return scope.zeros(phaseShape);
      const dyPart = scope.slice(dy, [0, ph.cropBegin, pw.cropBegin, 0], [batchSize, ph.cropSize, pw.cropSize, dy.shape[3]]);
      return scope.conv2d(dyPart, phaseFilter(scope, flipped, ph, pw, sh, sw), [ph.padBefore, ph.padAfter, pw.padBefore, pw.padAfter]);
    };
    if (sh === 1 && sw === 1) return phaseOut(rows.phases[0], cols.phases[0]);
    // Interleave: [B, q, 1, q', 1, Ci] pieces → concat over column phases, then row phases.
    const rowBands = rows.phases.map((ph) => {
      const pieces = cols.phases.map((pw) => scope.reshape(phaseOut(ph, pw), [batchSize, rows.perPhase, 1, cols.perPhase, 1, inChannels]));
      return pieces.length === 1 ? pieces[0] : scope.run('Concat', pieces, { axis: 4 });
    });
    const woven = rowBands.length === 1 ? rowBands[0] : scope.run('Concat', rowBands, { axis: 2 });
    const full = scope.reshape(woven, [batchSize, rows.perPhase * sh, cols.perPhase * sw, inChannels]);
    return scope.slice(full, [0, 0, 0, 0], [batchSize, inHeight, inWidth, inChannels]);
  });
}

export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
