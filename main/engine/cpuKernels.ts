/**
 * A faster Conv2DBackpropFilter for the pure-JS 'cpu' backend. The stock kernel reads every element
 * through TensorBuffer.get (varargs + index arithmetic per multiply), which makes one SARNet step at
 * 16×16 take seconds. This one walks the typed arrays directly: for every output position it adds the
 * outer product of the input patch and the output gradient into dW (accumulated in float64).
 * Same attributes and results (up to summation order); NHWC and NCHW; dilation 1, as the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';

interface CpuBackendLike {
  data: { get(id: unknown): { values: ArrayLike<number> } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const backend = args.backend as CpuBackendLike;
  const format = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    format,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = backend.data.get(x.dataId).values;
  const dyv = backend.data.get(dy.dataId).values;
  const last = info.dataFormat === 'channelsLast';
  // Element strides of (batch, row, col, channel) in x and dy.
  const xs = last ? [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1] : [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth];
  const ys = last
    ? [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1]
    : [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth];
  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const dyRow = new Float64Array(outChannels);
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      for (let yC = 0; yC < outWidth; yC++) {
        const yBase = b * ys[0] + yR * ys[1] + yC * ys[2];
        for (let d2 = 0; d2 < outChannels; d2++) dyRow[d2] = dyv[yBase + d2 * ys[3]];
        for (let wR = 0; wR < filterHeight; wR++) {
          const xR = yR * strideHeight + wR - top;
          if (xR < 0 || xR >= inHeight) continue;
          for (let wC = 0; wC < filterWidth; wC++) {
            const xC = yC * strideWidth + wC - left;
            if (xC < 0 || xC >= inWidth) continue;
            const xBase = b * xs[0] + xR * xs[1] + xC * xs[2];
            const wBase = (wR * filterWidth + wC) * inChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xval = xv[xBase + d1 * xs[3]];
              if (xval === 0) continue;
              const o = (wBase + d1) * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) acc[o + d2] += xval * dyRow[d2];
            }
          }
        }
      }
    }
  }
  return backend.makeTensorInfo([filterHeight, filterWidth, inChannels, outChannels], 'float32', Float32Array.from(acc));
}

let registered = false;

/** Replace the cpu backend's Conv2DBackpropFilter with the typed-array version (idempotent). */
export function registerFastCpuKernels(): void {
  if (registered) return;
  if (tf.getKernel('Conv2DBackpropFilter', 'cpu')) tf.unregisterKernel('Conv2DBackpropFilter', 'cpu');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'cpu', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc });
  registered = true;
}
