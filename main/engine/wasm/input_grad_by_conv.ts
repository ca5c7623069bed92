/**
 * Input gradient of a stride-1 convolution as one ordinary XNNPACK convolution: dy convolved with the
 * filter rotated by 180° with in/out channels swapped,
 *   dx[b, ih, iw, ci] = Σ dy[b, ih − kh + pt, iw − kw + pl, co] · w[kh, kw, ci, co],
 * padded by (K − 1 − padBefore) on each side (cropping dy where that is negative). Best for large
 * feature maps, where XNNPACK's convolution runs at its fastest.
 */
import type { KernelScope, TensorInfo } from './kernel_calls.js';
import type { ConvGeometry } from './patches.js';

/**
 * The filter rotated by 180° with in/out channels swapped: out[KH−1−kh, KW−1−kw, co, ci] = w[kh, kw, ci, co].
 * One blocked pass in JavaScript over the heap (the stock Reverse kernel is ~10× slower).
 */
export function rotateFilter(scope: KernelScope, filter: TensorInfo): TensorInfo {
  const [kh, kw, ci, co] = filter.shape;
  const src = scope.read(filter);
  const dst = new Float32Array(src.length);
  const taps = kh * kw;
  const plane = ci * co;
  const block = 32;
  for (let t = 0; t < taps; t++) {
    const s0 = t * plane;
    const d0 = (taps - 1 - t) * plane;
    for (let i0 = 0; i0 < ci; i0 += block) {
      const i1 = Math.min(i0 + block, ci);
      for (let o0 = 0; o0 < co; o0 += block) {
        const o1 = Math.min(o0 + block, co);
        for (let i = i0; i < i1; i++) {
          const si = s0 + i * co;
          for (let o = o0; o < o1; o++) dst[d0 + o * ci + i] = src[si + o];
        }
      }
    }
  }
  return scope.output([kh, kw, co, ci], dst);
}

/** Along one axis: the dy span [begin, begin + size) to read and the zero padding around it. */
export function axisWindow(inSize: number, dySize: number, kernel: number, padBefore: number) {
  const start = padBefore - (kernel - 1); // dy index read by the first rotated tap for dx index 0
  const end = start + inSize + kernel - 1;
  const begin = Math.max(start, 0);
  return { begin, size: Math.min(end, dySize) - begin, before: Math.max(-start, 0), after: Math.max(end - dySize, 0) };
}

/** dx [B, H, W, Ci] from dy [B, OH, OW, Co] and the filter [KH, KW, Ci, Co]; stride 1 only. */
export function inputGradByConv(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, g: ConvGeometry): TensorInfo {
  if (g.strideH !== 1 || g.strideW !== 1) throw new Error('inputGradByConv: stride 1 only');
  const rows = axisWindow(g.inH, g.outH, g.kH, g.padTop);
  const cols = axisWindow(g.inW, g.outW, g.kW, g.padLeft);
  if (rows.size <= 0 || cols.size <= 0) return scope.zeros([g.batch, g.inH, g.inW, g.inC]);
  const dyUsed = scope.slice(dy, [0, rows.begin, cols.begin, 0], [g.batch, rows.size, cols.size, dy.shape[3]]);
  return scope.conv2d(dyUsed, rotateFilter(scope, filter), [rows.before, rows.after, cols.before, cols.after]);
}
