/**
 * Filter gradient of a convolution as one ordinary XNNPACK convolution:
 *   dW[kh, kw, ci, co] = Σ_{b, oh, ow} xpad[b, oh·sh + kh, ow·sw + kw, ci] · dy[b, oh, ow, co]
 * is x transposed to [Ci, H, W, B] (batch becomes channels) convolved with dy transposed to
 * [OH, OW, B, Co] as the filter, with dilation = forward stride and the forward padding; its output
 * [Ci, KH, KW, Co] is transposed back. Rows/columns the forward pass never read are cropped first.
 */
import type { KernelScope, TensorInfo } from './kernel_calls.js';
import type { ConvGeometry } from './patches.js';

/** Extent of the input the forward pass read along one axis, and the padding it needs after it. */
export function readExtent(inSize: number, outSize: number, kernel: number, stride: number, padBefore: number): { keep: number; padAfter: number } {
  const needed = kernel + (outSize - 1) * stride; // padded extent read by the forward convolution
  const padAfter = needed - padBefore - inSize;
  return padAfter >= 0 ? { keep: inSize, padAfter } : { keep: inSize + padAfter, padAfter: 0 };
}

/** dW [KH, KW, Ci, Co] from x [B, H, W, Ci] and dy [B, OH, OW, Co]. */
export function filterGradByConv(scope: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const rows = readExtent(g.inH, g.outH, g.kH, g.strideH, g.padTop);
  const cols = readExtent(g.inW, g.outW, g.kW, g.strideW, g.padLeft);
  const xUsed = scope.slice(x, [0, 0, 0, 0], [g.batch, rows.keep, cols.keep, g.inC]);
  const xT = scope.transpose(xUsed, [3, 1, 2, 0]); // [Ci, H, W, B]
  const dyT = scope.transpose(dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
  const dWT = scope.conv2d(xT, dyT, [g.padTop, rows.padAfter, g.padLeft, cols.padAfter], [g.strideH, g.strideW]);
  return scope.transpose(dWT, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
}
