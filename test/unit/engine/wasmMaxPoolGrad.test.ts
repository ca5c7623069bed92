/** MaxPoolGrad on wasm matches the cpu backend: first maximum wins, ties and padded borders included. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/engine/backend.js';
import { exactTileSize } from '../../../main/engine/wasm/max_pool_grad.js';

beforeAll(async () => {
  await initBackend('wasm');
});

type Pad = 'same' | 'valid';

async function poolGrad(backend: 'cpu' | 'wasm', xv: Float32Array, shape: [number, number, number, number], k: number, s: number, pad: Pad): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, shape);
    const loss = (t: tf.Tensor) => {
      const y = tf.maxPool(t as tf.Tensor4D, k, s, pad);
      const weights = Float32Array.from({ length: y.size }, (_, i) => Math.cos(i)); // same dy on both backends
      return tf.sum(tf.mul(y, tf.tensor(weights, y.shape)));
    };
    return Float32Array.from(tf.grad(loss)(x).dataSync());
  });
}

describe('exactTileSize', () => {
  const info = (shape: [number, number, number, number], k: number, s: number, pad: Pad) => tf.backend_util.computePool2DInfo(shape, k, s, 1, pad);
  it('is the window size only for windows that tile the input', () => {
    expect(exactTileSize(info([2, 8, 8, 3], 2, 2, 'same'))).toBe(2);
    expect(exactTileSize(info([2, 9, 9, 3], 3, 3, 'valid'))).toBe(3);
    expect(exactTileSize(info([2, 9, 9, 3], 2, 2, 'same'))).toBe(0); // padded
    expect(exactTileSize(info([2, 9, 9, 3], 2, 2, 'valid'))).toBe(0); // last row unused
    expect(exactTileSize(info([2, 8, 8, 3], 3, 2, 'same'))).toBe(0); // overlapping
  });
});

describe('MaxPoolGrad matches the cpu backend exactly', () => {
  const cases: { shape: [number, number, number, number]; k: number; s: number; pad: Pad; ties: boolean }[] = [
    { shape: [3, 8, 8, 4], k: 2, s: 2, pad: 'same', ties: true },
    { shape: [2, 9, 6, 3], k: 3, s: 3, pad: 'valid', ties: true },
    { shape: [2, 8, 8, 4], k: 2, s: 2, pad: 'valid', ties: false },
    { shape: [2, 9, 9, 3], k: 3, s: 2, pad: 'same', ties: true }, // overlapping windows accumulate
    { shape: [2, 7, 7, 2], k: 2, s: 2, pad: 'same', ties: false }, // padded border, negative values
    { shape: [2, 8, 8, 3], k: 3, s: 2, pad: 'same', ties: false },
  ];
  for (const c of cases) {
    it(`${c.shape.join('×')} pool ${c.k}/${c.s} ${c.pad}${c.ties ? ' with ties (ReLU zeros, repeated values)' : ''}`, async () => {
      const n = c.shape.reduce((a, b) => a * b);
      // Ties: small integers clipped at 0, as after a ReLU; otherwise distinct values.
      const xv = Float32Array.from({ length: n }, (_, i) => (c.ties ? Math.max(0, Math.round(3 * Math.sin(i * 7.3))) : Math.sin(i * 1.37) + i * 1e-3));
      const cpu = await poolGrad('cpu', xv, c.shape, c.k, c.s, c.pad);
      const wasm = await poolGrad('wasm', xv, c.shape, c.k, c.s, c.pad);
      // Overlapping windows sum several dy in a different order: allow float32 rounding.
      wasm.forEach((v, i) => expect(Math.abs(v - cpu[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(cpu[i]))));
    });
  }

  it('leaves tensor and wasm buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const xv = Float32Array.from({ length: 2 * 8 * 8 * 3 }, (_, i) => Math.sin(i));
    const run = () => poolGrad('wasm', xv, [2, 8, 8, 3], 2, 2, 'same');
    await run();
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) await run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
  });
});
