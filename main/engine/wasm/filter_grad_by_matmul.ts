/**
 * Filter gradient of a convolution as one XNNPACK matrix product of the transposed patch matrix and dy:
 *   dW[(kh, kw, ci), co] = Σ_pixel colsᵀ[(kh, kw, ci), pixel] · dy[pixel, co].
 * The patch matrix is built in JavaScript (patches.ts). Best when feature maps are small, so the patch
 * matrix stays small and the product is long in its inner dimension.
 */
import type { KernelScope, TensorInfo } from './kernel_calls.js';
import { im2colTransposed, patchRows, patchSize, type ConvGeometry } from './patches.js';

/** dW [KH, KW, Ci, Co] from x [B, H, W, Ci] and dy [B, OH, OW, Co]. */
export function filterGradByMatmul(scope: KernelScope, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const P = patchRows(g);
  const K = patchSize(g);
  const co = dy.shape[3];
  const colsT = new Float32Array(K * P);
  im2colTransposed(scope.read(x), g, colsT);
  const dW = scope.matmul(scope.output([K, P], colsT), scope.reshape(dy, [P, co]));
  return scope.reshape(dW, [g.kH, g.kW, g.inC, co]);
}
