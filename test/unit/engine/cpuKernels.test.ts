import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../../../main/engine/cpuKernels.js';
import { createRng, randomNormal } from '../../../main/data/random.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

function random(shape: number[], seed: number): tf.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => randomNormal(rng)), shape);
}

/** dL/dW for L = Σ conv2d(x, W) · dy, straight from the definition (float64 loops). */
function referenceFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, fh: number, fw: number, stride: number, padTop: number, padLeft: number): Float64Array {
  const [n, h, w, cin] = x.shape;
  const [, oh, ow, cout] = dy.shape;
  const xv = x.dataSync();
  const dv = dy.dataSync();
  const out = new Float64Array(fh * fw * cin * cout);
  for (let b = 0; b < n; b++)
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++)
        for (let i = 0; i < fh; i++)
          for (let j = 0; j < fw; j++) {
            const xr = r * stride + i - padTop;
            const xc = c * stride + j - padLeft;
            if (xr < 0 || xr >= h || xc < 0 || xc >= w) continue;
            for (let ci = 0; ci < cin; ci++)
              for (let co = 0; co < cout; co++)
                out[((i * fw + j) * cin + ci) * cout + co] += xv[((b * h + xr) * w + xc) * cin + ci] * dv[((b * oh + r) * ow + c) * cout + co];
          }
  return out;
}

describe('fast cpu Conv2DBackpropFilter', () => {
  const cases: Array<{ name: string; x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' }> = [
    { name: '3×3 same stride 1', x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
    { name: '5×5 same stride 2 (odd size)', x: [2, 9, 9, 2], f: [5, 5, 2, 3], stride: 2, pad: 'same' },
    { name: '6×6 same stride 1 (even kernel)', x: [1, 8, 8, 2], f: [6, 6, 2, 2], stride: 1, pad: 'same' },
    { name: '3×3 valid stride 2', x: [3, 8, 8, 1], f: [3, 3, 1, 5], stride: 2, pad: 'valid' },
  ];
  for (const c of cases) {
    it(`matches the definition: ${c.name}`, () => {
      tf.tidy(() => {
        const x = random(c.x, 1) as tf.Tensor4D;
        const filter = random(c.f, 2) as tf.Tensor4D;
        const y = tf.conv2d(x, filter, c.stride, c.pad);
        const dy = random(y.shape, 3) as tf.Tensor4D;
        const g = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.stride, c.pad), dy)))(filter);
        const info = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.stride, 1, c.pad);
        const ref = referenceFilterGrad(x, dy, c.f[0], c.f[1], c.stride, info.padInfo.top, info.padInfo.left);
        const got = g.dataSync();
        expect(got.length).toBe(ref.length);
        let maxErr = 0;
        ref.forEach((r, i) => (maxErr = Math.max(maxErr, Math.abs(r - got[i]))));
        expect(maxErr).toBeLessThan(1e-4);
      });
    });
  }

  it('registering twice is harmless', () => {
    registerFastCpuKernels();
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')).toBeDefined();
  });
});
