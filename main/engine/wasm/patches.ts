/**
 * Patch matrices of an NHWC convolution (im2col) and their adjoint (col2im), as JavaScript loops over
 * wasm-heap views. They let a convolution gradient run as one large XNNPACK matrix product when the
 * feature map is small (few pixels, many channels), where a convolution wastes its time on weight
 * packing. Out-of-image taps (padding) read as 0 and are skipped when scattering.
 */

/** Geometry of a forward convolution x [B, H, W, Ci] → y [B, OH, OW, Co] with a KH×KW filter. */
export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** Output pixels (rows of the patch matrix): B·OH·OW. */
export function patchRows(g: ConvGeometry): number {
  return g.batch * g.outH * g.outW;
}

/** Patch length (columns of the patch matrix): KH·KW·Ci. */
export function patchSize(g: ConvGeometry): number {
  return g.kH * g.kW * g.inC;
}

/**
 * Transposed patch matrix: colsT[(kh·KW + kw)·Ci + ci, (b·OH + oh)·OW + ow] = x[b, oh·s + kh − pt, ow·s + kw − pl, ci].
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, colsT: Float32Array): void {
  const P = patchRows(g);
  const rowStride = g.inW * g.inC;
  const imgStride = g.inH * rowStride;
  for (let kh = 0; kh < g.kH; kh++) {
    for (let kw = 0; kw < g.kW; kw++) {
      for (let ci = 0; ci < g.inC; ci++) {
        let o = ((kh * g.kW + kw) * g.inC + ci) * P;
        for (let b = 0; b < g.batch; b++) {
          for (let oh = 0; oh < g.outH; oh++) {
            const ih = oh * g.strideH + kh - g.padTop;
            if (ih < 0 || ih >= g.inH) {
              colsT.fill(0, o, o + g.outW);
              o += g.outW;
              continue;
            }
            const rowBase = b * imgStride + ih * rowStride + ci;
            for (let ow = 0; ow < g.outW; ow++) {
              const iw = ow * g.strideW + kw - g.padLeft;
              colsT[o++] = iw >= 0 && iw < g.inW ? x[rowBase + iw * g.inC] : 0;
            }
          }
        }
      }
    }
  }
}

/**
 * Adjoint of the patch matrix, accumulated into dx (which the caller zeroes):
 * dx[b, oh·s + kh − pt, ow·s + kw − pl, ci] += cols[pixel, (kh·KW + kw)·Ci + ci], where `cols` is
 * [B·OH·OW, KH·KW·Ci] (`transposed` false) or its transpose (`transposed` true).
 */
export function col2imAccumulate(cols: Float32Array, transposed: boolean, g: ConvGeometry, dx: Float32Array): void {
  const P = patchRows(g);
  const K = patchSize(g);
  const rowStride = g.inW * g.inC;
  const imgStride = g.inH * rowStride;
  // Element (pixel p, patch column k) of cols lives at p·pStep + k·kStep.
  const pStep = transposed ? 1 : K;
  const kStep = transposed ? P : 1;
  let p = 0;
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, p++) {
        const pBase = p * pStep;
        for (let kh = 0; kh < g.kH; kh++) {
          const ih = oh * g.strideH + kh - g.padTop;
          if (ih < 0 || ih >= g.inH) continue;
          for (let kw = 0; kw < g.kW; kw++) {
            const iw = ow * g.strideW + kw - g.padLeft;
            if (iw < 0 || iw >= g.inW) continue;
            const d = b * imgStride + ih * rowStride + iw * g.inC;
            let c = pBase + (kh * g.kW + kw) * g.inC * kStep;
            for (let ci = 0; ci < g.inC; ci++, c += kStep) dx[d + ci] += cols[c];
          }
        }
      }
    }
  }
}

/** The geometry of a tfjs Conv2DInfo (NHWC, dilation 1). */
export function geometryOf(info: {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padInfo: { top: number; left: number };
}): ConvGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
