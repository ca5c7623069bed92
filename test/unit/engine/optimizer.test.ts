import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdamOptimizer } from '../../../main/engine/optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** PyTorch Adam / AdamW in float64, written independently of the engine. */
function referenceAdam(w0: number[], grads: number[][], lr: number, wd: number, decoupled: boolean): number[] {
  const w = [...w0];
  const m = w.map(() => 0);
  const v = w.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < w.length; i++) {
      let gi = g[i];
      if (decoupled) w[i] *= 1 - lr * wd;
      else gi += wd * w[i];
      m[i] = 0.9 * m[i] + 0.1 * gi;
      v[i] = 0.999 * v[i] + 0.001 * gi * gi;
      const mHat = m[i] / (1 - 0.9 ** t);
      const vHat = v[i] / (1 - 0.999 ** t);
      w[i] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  });
  return w;
}

const GRADS = [
  [0.5, -1, 0.2],
  [0.3, -0.2, -0.4],
  [-0.1, 0.6, 0.05],
];

function run(decoupled: boolean, wd: number): number[] {
  const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const opt = new AdamOptimizer([w], { learningRate: 0.1, weightDecay: wd, decoupled });
  for (const g of GRADS) {
    const gt = tf.tensor1d(g);
    opt.applyGradients([gt]);
    gt.dispose();
  }
  const out = Array.from(w.dataSync());
  opt.dispose();
  w.dispose();
  return out;
}

describe('AdamOptimizer', () => {
  it('first step moves every weight by lr·sign(g) (no decay)', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new AdamOptimizer([w], { learningRate: 0.1, weightDecay: 0, decoupled: false });
    tf.tidy(() => opt.applyGradients([tf.tensor1d([0.5, -1])]));
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(0.9, 6);
    expect(got[1]).toBeCloseTo(-1.9, 6);
    expect(opt.step).toBe(1);
    opt.dispose();
    w.dispose();
  });

  for (const [decoupled, wd] of [
    [false, 0],
    [false, 0.1],
    [true, 0.1],
  ] as const) {
    it(`matches PyTorch ${decoupled ? 'AdamW' : 'Adam'} with weight decay ${wd} over 3 steps`, () => {
      const expected = referenceAdam([1, -2, 0.5], GRADS, 0.1, wd, decoupled);
      run(decoupled, wd).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 5));
    });
  }

  it('coupled and decoupled decay differ', () => {
    expect(run(false, 0.1)[0]).not.toBeCloseTo(run(true, 0.1)[0], 4);
  });

  it('state round-trips exactly', () => {
    const a = tf.variable(tf.tensor1d([1, 2]));
    const b = tf.variable(tf.tensor1d([1, 2]));
    const optA = new AdamOptimizer([a], { learningRate: 0.05, weightDecay: 0.01, decoupled: false });
    tf.tidy(() => optA.applyGradients([tf.tensor1d([0.3, -0.7])]));
    b.assign(a);
    const optB = new AdamOptimizer([b], { learningRate: 0.05, weightDecay: 0.01, decoupled: false });
    optB.setState(optA.getState());
    tf.tidy(() => optA.applyGradients([tf.tensor1d([0.1, 0.4])]));
    tf.tidy(() => optB.applyGradients([tf.tensor1d([0.1, 0.4])]));
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(() => optB.setState({ step: 1, m: [], v: [] })).toThrow(/moments/);
    [optA, optB].forEach((o) => o.dispose());
    [a, b].forEach((v) => v.dispose());
  });

  it('rejects bad settings and leaks no tensors', () => {
    const w = tf.variable(tf.tensor1d([1]));
    expect(() => new AdamOptimizer([w], { learningRate: 0, weightDecay: 0, decoupled: false })).toThrow(/learningRate/);
    const before = tf.memory().numTensors;
    const opt = new AdamOptimizer([w], { learningRate: 0.1, weightDecay: 0.1, decoupled: true });
    for (let i = 0; i < 3; i++) tf.tidy(() => opt.applyGradients([tf.tensor1d([1])]));
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    w.dispose();
  });
});
