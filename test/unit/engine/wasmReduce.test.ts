/** Per-channel Sum/Mean on wasm (average-pooling path) and the delegated reductions, against cpu. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../../../main/data/random.js';
import { initBackend } from '../../../main/engine/backend.js';
import { reducesAllButLast } from '../../../main/engine/wasm/channel_reduce.js';

beforeAll(async () => {
  await initBackend('wasm');
});

async function reduce(backend: 'cpu' | 'wasm', op: 'sum' | 'mean', values: Float32Array | Int32Array, shape: number[], axis: number[], keepDims: boolean) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(values, shape, values instanceof Int32Array ? 'int32' : 'float32');
    const y = op === 'sum' ? tf.sum(x, axis, keepDims) : tf.mean(x, axis, keepDims);
    return { shape: y.shape, dtype: y.dtype, values: Array.from(y.dataSync()) };
  });
}

describe('reducesAllButLast', () => {
  it('accepts exactly the leading axes of a rank ≥ 3 tensor', () => {
    expect(reducesAllButLast([0, 1, 2], 4)).toBe(true);
    expect(reducesAllButLast([2, 0, 1], 4)).toBe(true);
    expect(reducesAllButLast([0, 1], 3)).toBe(true);
    expect(reducesAllButLast([0], 2)).toBe(false);
    expect(reducesAllButLast([1, 2], 4)).toBe(false);
    expect(reducesAllButLast([0, 1, 2, 3], 4)).toBe(false);
  });
});

describe('Sum and Mean on wasm match cpu', () => {
  const rng = createRng(5);
  const cases: { shape: number[]; axis: number[] }[] = [
    { shape: [4, 6, 5, 7], axis: [0, 1, 2] },
    { shape: [3, 9, 2], axis: [0, 1] },
    { shape: [2, 3, 4, 5], axis: [1, 2] }, // delegated
    { shape: [6, 4], axis: [0] }, // delegated
  ];
  for (const c of cases) {
    for (const op of ['sum', 'mean'] as const) {
      for (const keepDims of [false, true]) {
        it(`${op} of [${c.shape}] over [${c.axis}]${keepDims ? ' keepDims' : ''}`, async () => {
          const values = Float32Array.from({ length: c.shape.reduce((a, b) => a * b) }, () => 2 + randomNormal(rng));
          const cpu = await reduce('cpu', op, values, c.shape, c.axis, keepDims);
          const wasm = await reduce('wasm', op, values, c.shape, c.axis, keepDims);
          expect(wasm.shape).toEqual(cpu.shape);
          wasm.values.forEach((v, i) => expect(Math.abs(v - cpu.values[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(cpu.values[i]))));
        });
      }
    }
  }

  it('int32 tensors keep the stock kernel (exact integer sums)', async () => {
    const values = Int32Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 1000003);
    const cpu = await reduce('cpu', 'sum', values, [2, 3, 4], [0, 1], false);
    const wasm = await reduce('wasm', 'sum', values, [2, 3, 4], [0, 1], false);
    expect(wasm).toEqual(cpu);
  });

  it('Sum and Mean gradients broadcast dy over the reduced axes (÷ count for Mean), on both backends', async () => {
    const shape = [2, 3, 4];
    const w = [0.5, -1.25, 2, 3];
    for (const backend of ['cpu', 'wasm'] as const) {
      await tf.setBackend(backend);
      for (const op of ['sum', 'mean'] as const) {
        const g = tf.tidy(() =>
          Array.from(
            tf
              .grad((x: tf.Tensor) => tf.sum(tf.mul(op === 'sum' ? tf.sum(x, [0, 1]) : tf.mean(x, [0, 1]), tf.tensor1d(w))))(tf.zeros(shape))
              .dataSync(),
          ),
        );
        const expected = Array.from({ length: 24 }, (_, i) => (op === 'sum' ? w[i % 4] : Math.fround(w[i % 4] * Math.fround(1 / 6))));
        expect(g).toEqual(expected);
      }
    }
  });

  it('leaves tensor and wasm buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([4, 6, 5, 7]);
    const run = () => tf.tidy(() => [tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2], true)].forEach((t) => t.dataSync()));
    run();
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
    x.dispose();
  });
});
