/**
 * The wasm training kernels against the pure-JS cpu backend: Conv2DBackpropFilter and
 * Conv2DBackpropInput over strides, paddings, kernel sizes and both routes of each; the batch-norm
 * gradient against plain-op autodiff; a whole tiny conv net's gradients; and leak checks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, randomNormal } from '../../../main/data/random.js';
import { initBackend } from '../../../main/engine/backend.js';
import { filterGradRoute } from '../../../main/engine/wasm/conv2d_backprop_filter.js';
import { inputGradRoute } from '../../../main/engine/wasm/conv2d_backprop_input.js';
import { axisWindow } from '../../../main/engine/wasm/input_grad_by_conv.js';
import { readExtent } from '../../../main/engine/wasm/filter_grad_by_conv.js';
import { geometryOf } from '../../../main/engine/wasm/patches.js';

type Pad = 'same' | 'valid' | number;
interface ConvCase {
  x: [number, number, number, number];
  k: number;
  co: number;
  s: number;
  pad: Pad;
}

/** Cases chosen so every route runs: large maps (convolution routes), small/strided (matrix routes), 1×1, 7×7, 1 channel. */
const CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], k: 3, co: 4, s: 1, pad: 'same' },
  { x: [2, 9, 9, 3], k: 3, co: 4, s: 2, pad: 'same' },
  { x: [2, 8, 8, 3], k: 3, co: 4, s: 2, pad: 'same' },
  { x: [2, 8, 8, 5], k: 1, co: 4, s: 2, pad: 'same' },
  { x: [2, 8, 8, 5], k: 1, co: 6, s: 1, pad: 'valid' },
  { x: [2, 9, 10, 1], k: 7, co: 4, s: 2, pad: 'same' },
  { x: [2, 16, 16, 1], k: 7, co: 3, s: 2, pad: 'same' },
  { x: [2, 9, 9, 3], k: 3, co: 4, s: 2, pad: 'valid' },
  { x: [2, 10, 10, 3], k: 3, co: 2, s: 2, pad: 'valid' },
  { x: [3, 11, 11, 2], k: 3, co: 4, s: 1, pad: 1 },
  { x: [2, 12, 12, 3], k: 5, co: 4, s: 1, pad: 'same' },
  { x: [2, 4, 4, 6], k: 3, co: 5, s: 1, pad: 'same' },
  { x: [1, 7, 7, 2], k: 6, co: 3, s: 1, pad: 'same' },
];

function randomArray(n: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: n }, () => randomNormal(rng));
}

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += a[i] ** 2;
  }
  return Math.sqrt(num / den);
}

/** Run `f` on a backend and return plain copies of its outputs. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const out = f();
    return (Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync()));
  });
}

function geometry(c: ConvCase) {
  return geometryOf(tf.backend_util.computeConv2DInfo(c.x, [c.k, c.k, c.x[3], c.co], c.s, 1, c.pad));
}

function gradsOfConv(c: ConvCase, seed: number) {
  const xv = randomArray(c.x.reduce((a, b) => a * b), seed);
  const wv = randomArray(c.k * c.k * c.x[3] * c.co, seed + 1);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const w = tf.tensor4d(wv, [c.k, c.k, c.x[3], c.co]);
    const loss = (xx: tf.Tensor, ww: tf.Tensor) => {
      const y = tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.s, c.pad);
      return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
    };
    return tf.grads(loss)([x, w]);
  };
}

beforeAll(async () => {
  const info = await initBackend('wasm');
  expect(info.name).toBe('wasm');
});

describe('route planning', () => {
  it('axisWindow pads or crops dy exactly as the rotated-filter convolution needs', () => {
    expect(axisWindow(16, 16, 3, 1)).toEqual({ begin: 0, size: 16, before: 1, after: 1 });
    expect(axisWindow(8, 8, 1, 0)).toEqual({ begin: 0, size: 8, before: 0, after: 0 });
    expect(axisWindow(8, 6, 3, 0)).toEqual({ begin: 0, size: 6, before: 2, after: 2 }); // 'valid'
    expect(axisWindow(7, 7, 6, 2)).toEqual({ begin: 0, size: 7, before: 3, after: 2 });
  });

  it('readExtent keeps the rows the forward pass read and pads the rest', () => {
    expect(readExtent(64, 32, 7, 2, 2)).toEqual({ keep: 64, padAfter: 3 });
    expect(readExtent(8, 4, 1, 2, 0)).toEqual({ keep: 7, padAfter: 0 });
    expect(readExtent(9, 4, 3, 2, 0)).toEqual({ keep: 9, padAfter: 0 });
  });

  it('the test cases exercise both routes of both kernels', () => {
    const inputRoutes = new Set(CASES.map((c) => inputGradRoute(geometry(c))));
    const filterRoutes = new Set(CASES.map((c) => filterGradRoute(geometry(c))));
    expect([...inputRoutes].sort()).toEqual(['conv', 'matmul']);
    expect([...filterRoutes].sort()).toEqual(['conv', 'matmul']);
    expect(inputGradRoute(geometry(CASES[0]))).toBe('conv');
    expect(inputGradRoute(geometry(CASES[1]))).toBe('matmul');
    expect(filterGradRoute(geometry(CASES[3]))).toBe('matmul');
    expect(filterGradRoute(geometry(CASES[10]))).toBe('conv');
  });
});

describe('wasm convolution gradients match the cpu backend', () => {
  CASES.forEach((c, i) => {
    it(`x ${c.x.join('×')}, ${c.k}×${c.k}, stride ${c.s}, pad ${c.pad}`, async () => {
      const f = gradsOfConv(c, 100 + i);
      const [dxCpu, dwCpu] = await on('cpu', f);
      const [dxWasm, dwWasm] = await on('wasm', f);
      expect(relErr(dxCpu, dxWasm)).toBeLessThan(1e-5);
      expect(relErr(dwCpu, dwWasm)).toBeLessThan(1e-5);
    });
  });
});

describe('batch-norm gradient', () => {
  it('equals autodiff through plain ops (x, mean, variance, scale, offset), on cpu and wasm', async () => {
    const shape: [number, number, number, number] = [3, 4, 5, 6];
    const xv = randomArray(3 * 4 * 5 * 6, 7).map((v) => 3 + 2 * v);
    const cv = (seed: number) => randomArray(6, seed);
    const [mv, vv, gv, bv] = [cv(8), cv(9).map((v) => 0.5 + v * v), cv(10), cv(11)];
    const dyv = randomArray(xv.length, 12);
    const inputs = () => [tf.tensor4d(xv, shape), tf.tensor1d(mv), tf.tensor1d(vv), tf.tensor1d(gv), tf.tensor1d(bv)];
    const fused = () =>
      tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.batchNorm4d(x as tf.Tensor4D, m as tf.Tensor1D, v as tf.Tensor1D, b as tf.Tensor1D, g as tf.Tensor1D, 1e-3), tf.tensor4d(dyv, shape))),
      )(inputs());
    const plain = () =>
      tf.grads((x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.add(tf.mul(tf.div(tf.sub(x, m), tf.sqrt(tf.add(v, 1e-3))), g), b), tf.tensor4d(dyv, shape))),
      )(inputs());
    const reference = await on('cpu', plain);
    for (const backend of ['cpu', 'wasm'] as const) {
      const got = await on(backend, fused);
      reference.forEach((r, k) => expect(relErr(r, got[k])).toBeLessThan(1e-5));
    }
  });
});

describe('a tiny conv net trains identically on wasm and cpu', () => {
  function tinyNet(): tf.LayersModel {
    const init = (seed: number) => tf.initializers.glorotNormal({ seed });
    const input = tf.input({ shape: [12, 12, 1] });
    let y = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init(1) }).apply(input) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
    y = tf.layers.maxPooling2d({ poolSize: 2 }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: init(2) }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
    y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
    y = tf.layers.conv2d({ filters: 8, kernelSize: 1, padding: 'valid', kernelInitializer: init(3) }).apply(y) as tf.SymbolicTensor;
    y = tf.layers.globalAveragePooling2d({}).apply(y) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3, kernelInitializer: init(4) }).apply(y) as tf.SymbolicTensor;
    return tf.model({ inputs: input, outputs: out });
  }

  it('every weight gradient agrees to 1e-5 and a step leaks no tensors or wasm buffers', async () => {
    const xv = randomArray(5 * 12 * 12, 21);
    const labels = [0, 1, 2, 1, 0];
    const gradsOn = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const model = tinyNet();
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const run = () =>
        tf.tidy(() => {
          const { grads } = tf.variableGrads(() => {
            const logits = model.apply(tf.tensor4d(xv, [5, 12, 12, 1]), { training: true }) as tf.Tensor;
            return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), logits) as tf.Scalar;
          }, vars);
          return vars.map((v) => Float32Array.from(grads[v.name].dataSync()));
        });
      const first = run();
      const tensors = tf.memory().numTensors;
      const buffers = tf.backend().numDataIds();
      for (let i = 0; i < 3; i++) run();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(tf.backend().numDataIds()).toBe(buffers);
      model.dispose();
      return first;
    };
    const cpu = await gradsOn('cpu');
    const wasm = await gradsOn('wasm');
    expect(wasm.length).toBe(cpu.length);
    cpu.forEach((g, i) => expect(relErr(g, wasm[i])).toBeLessThan(1e-5));
  });
});

describe('kernels release every intermediate', () => {
  it('backprop kernels leave the tensor and wasm buffer counts flat', async () => {
    await tf.setBackend('wasm');
    const cases = [CASES[0], CASES[1], CASES[3], CASES[6], CASES[11]];
    const fs = cases.map((c, i) => gradsOfConv(c, 300 + i));
    const runAll = () => fs.forEach((f) => tf.tidy(() => f().forEach((t) => t.dataSync())));
    runAll();
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 0; i < 3; i++) runAll();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it('Identity shares the buffer: a clone costs no copy and outlives its source', async () => {
    await tf.setBackend('wasm');
    const buffers = tf.backend().numDataIds();
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    expect(tf.backend().numDataIds()).toBe(buffers + 1);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
    expect(tf.backend().numDataIds()).toBe(buffers);
  });

  it('bad input gets a one-line error', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 2]);
    const dy = tf.zeros([1, 3, 3, 2]);
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 2] }),
    ).toThrow(/dy shape \[1,3,3,2\] does not match the forward output \[1,4,4,2\]/);
    tf.dispose([x, dy]);
  });
});
