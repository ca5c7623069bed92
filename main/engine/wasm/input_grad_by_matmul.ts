/**
 * Input gradient of a convolution as one XNNPACK matrix product plus a col2im scatter:
 *   cols[pixel, (kh, kw, ci)] = Σ_co dy[pixel, co] · w[kh, kw, ci, co],   dx = col2im(cols).
 * The product is oriented so that XNNPACK packs the smaller operand: dyᵀ when the filter is larger than
 * dy (deep layers on small maps), the transposed filter otherwise. Handles any stride and padding
 * without phases, so it also serves strided layers and the 1-channel stem.
 */
import type { KernelScope, TensorInfo } from './kernel_calls.js';
import { col2imAccumulate, patchRows, patchSize, type ConvGeometry } from './patches.js';

/** dx [B, H, W, Ci] from dy [B, OH, OW, Co] and the filter [KH, KW, Ci, Co]. */
export function inputGradByMatmul(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  const P = patchRows(g);
  const K = patchSize(g);
  const co = filter.shape[3];
  const dy2d = scope.reshape(dy, [P, co]);
  const w2d = scope.reshape(filter, [K, co]);
  const transposed = K >= P;
  const cols = transposed
    ? scope.matmul(w2d, scope.transpose(dy2d, [1, 0])) // [K, P]
    : scope.matmul(dy2d, scope.transpose(w2d, [1, 0])); // [P, K]
  const dx = new Float32Array(g.batch * g.inH * g.inW * g.inC);
  col2imAccumulate(scope.read(cols), transposed, g, dx);
  return scope.output([g.batch, g.inH, g.inW, g.inC], dx);
}
