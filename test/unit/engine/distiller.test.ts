import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISTILL } from '../../../main/engine/config.js';
import { distillationLoss } from '../../../main/engine/distiller.js';
import { auraWeights, crossEntropyPerSample, klPerSample, normalisedEntropy } from '../../../main/engine/losses.js';

const Z_T = [[4, 0.5, -1], [0.3, 0.2, 0.1], [-1, 3, 0], [2, 2, -2]];
const Z_PREV = [[0.1, 0, -0.1], [2.5, -0.5, 0], [-0.5, 2, 0.5], [1, 1.5, -1]];
const Z_S = [[0.2, 0.1, -0.2], [2.4, -0.4, 0.1], [-0.6, 2.2, 0.4], [1.1, 1.4, -0.9]];
const Y = [0, 0, 1, 1];
const W_OFF = [0.871181, 0.07157, 0.946841, 0.630336];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const num = (t: tf.Tensor) => t.dataSync()[0];
const rows = (r: number[]) => tf.tensor1d(r, 'int32');

describe('distillationLoss', () => {
  it('reproduces L = CE + α·0.529017 on the reference batch (all chips in O)', () => {
    tf.tidy(() => {
      const loss = distillationLoss({
        logits: tf.tensor2d(Z_S),
        labels: tf.tensor1d(Y, 'int32'),
        groups: { both: { rows: rows([0, 1, 2, 3]), offline: tf.tensor2d(Z_T), online: tf.tensor2d(Z_PREV) } },
        cfg: DEFAULT_DISTILL,
        alpha: 1,
      });
      expect(num(loss.ce)).toBeCloseTo(0.477362, 5);
      expect(num(loss.distill)).toBeCloseTo(0.529017, 5);
      expect(num(loss.total)).toBeCloseTo(0.477362 + 0.529017, 5);
      expect(num(loss.off)).toBeCloseTo((1.980587 + 0.706201 + 0.17953 + 0.257805) / 4, 5);
      expect(num(loss.on)).toBeCloseTo((0.004362 + 0.004999 + 0.011163 + 0.004836) / 4, 5);
      Array.from(loss.wOff.dataSync()).forEach((w, i) => expect(w).toBeCloseTo(W_OFF[i], 5));
      const half = distillationLoss({
        logits: tf.tensor2d(Z_S),
        labels: tf.tensor1d(Y, 'int32'),
        groups: { both: { rows: rows([0, 1, 2, 3]), offline: tf.tensor2d(Z_T), online: tf.tensor2d(Z_PREV) } },
        cfg: DEFAULT_DISTILL,
        alpha: 0.5,
      });
      expect(num(half.total)).toBeCloseTo(0.477362 + 0.5 * 0.529017, 5);
      // offlinePrior 2: w_off = sigmoid(logit(W_OFF) + 2), the mix moves toward l_off.
      const prior = distillationLoss({
        logits: tf.tensor2d(Z_S),
        labels: tf.tensor1d(Y, 'int32'),
        groups: { both: { rows: rows([0, 1, 2, 3]), offline: tf.tensor2d(Z_T), online: tf.tensor2d(Z_PREV) } },
        cfg: { ...DEFAULT_DISTILL, offlinePrior: 2 },
        alpha: 1,
      });
      expect(num(prior.distill)).toBeCloseTo(0.654685, 5);
      Array.from(prior.wOff.dataSync()).forEach((w, i) => expect(w).toBeCloseTo([0.980381, 0.362895, 0.992459, 0.926468][i], 5));
    });
  });

  it('tauOnline softens the online teacher on its own: l_on at that temperature, l_off at τ; 0 or τ itself change nothing', () => {
    // l_on by hand at τ 1 (plain KL of the softmaxes, τ² = 1) on the reference online teacher and student.
    const softmax = (z: number[]) => {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / sum);
    };
    const kl = (t: number[], st: number[]) => {
      const p = softmax(t);
      const q = softmax(st);
      return p.reduce((a, pi, c) => a + pi * (Math.log(pi) - Math.log(q[c])), 0);
    };
    const lOnTau1 = Z_PREV.map((z, i) => kl(z, Z_S[i]));
    tf.tidy(() => {
      const run = (cfg: typeof DEFAULT_DISTILL) =>
        distillationLoss({
          logits: tf.tensor2d(Z_S),
          labels: tf.tensor1d(Y, 'int32'),
          groups: { both: { rows: rows([0, 1, 2, 3]), offline: tf.tensor2d(Z_T), online: tf.tensor2d(Z_PREV) } },
          cfg,
          alpha: 1,
        });
      for (const same of [0, 4]) {
        const l = run({ ...DEFAULT_DISTILL, tauOnline: same });
        expect(num(l.distill)).toBeCloseTo(0.529017, 5);
      }
      const l = run({ ...DEFAULT_DISTILL, tauOnline: 1 });
      expect(num(l.on)).toBeCloseTo(lOnTau1.reduce((a, b) => a + b, 0) / 4, 6);
      expect(num(l.off)).toBeCloseTo((1.980587 + 0.706201 + 0.17953 + 0.257805) / 4, 5);
      // The weights see the new l_on (z-scored), so they move; the mix uses them.
      const lOff = [1.980587, 0.706201, 0.17953, 0.257805];
      const w = Array.from(l.wOff.dataSync());
      expect(w).not.toEqual(W_OFF);
      expect(num(l.distill)).toBeCloseTo(w.reduce((a, wi, i) => a + wi * lOff[i] + (1 - wi) * lOnTau1[i], 0) / 4, 5);
      // Self-KD's only term is the online one.
      const self = distillationLoss({
        logits: tf.tensor2d(Z_S),
        labels: tf.tensor1d(Y, 'int32'),
        groups: { onlineOnly: { rows: rows([0, 1, 2, 3]), online: tf.tensor2d(Z_PREV) } },
        cfg: { ...DEFAULT_DISTILL, tauOnline: 1 },
        alpha: 1,
      });
      expect(num(self.distill)).toBeCloseTo(lOnTau1.reduce((a, b) => a + b, 0) / 4, 6);
    });
  });

  it('sends no gradient through the weights (they act as constants)', () => {
    tf.tidy(() => {
      const zT = tf.tensor2d(Z_T);
      const zP = tf.tensor2d(Z_PREV);
      const y = tf.tensor1d(Y, 'int32');
      const g = tf.grad((z: tf.Tensor) =>
        distillationLoss({ logits: z as tf.Tensor2D, labels: y, groups: { both: { rows: rows([0, 1, 2, 3]), offline: zT, online: zP } }, cfg: DEFAULT_DISTILL, alpha: 1 }).total,
      )(tf.tensor2d(Z_S));
      const w = tf.tensor1d(W_OFF);
      const gConst = tf.grad((z: tf.Tensor) => {
        const s = z as tf.Tensor2D;
        const kd = tf.mean(tf.add(tf.mul(w, klPerSample(zT, s, 4)), tf.mul(tf.sub(1, w), klPerSample(zP, s, 4))));
        return tf.add(tf.mean(crossEntropyPerSample(s, y)), kd) as tf.Scalar;
      })(tf.tensor2d(Z_S));
      const a = g.dataSync();
      const b = gConst.dataSync();
      a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
    });
  });

  it('mixes groups: weights over the chips with both teachers, w_off = 1 / 0 for single-teacher chips', () => {
    tf.tidy(() => {
      const zT = tf.tensor2d(Z_T);
      const zP = tf.tensor2d(Z_PREV);
      const zS = tf.tensor2d(Z_S);
      const loss = distillationLoss({
        logits: zS,
        labels: tf.tensor1d(Y, 'int32'),
        groups: {
          both: { rows: rows([0, 1]), offline: tf.slice(zT, 0, 2), online: tf.slice(zP, 0, 2) },
          offlineOnly: { rows: rows([2]), offline: tf.slice(zT, 2, 1) },
          onlineOnly: { rows: rows([3]), online: tf.slice(zP, 3, 1) },
        },
        cfg: DEFAULT_DISTILL,
        alpha: 1,
      });
      const lOff = klPerSample(zT, zS, 4).dataSync();
      const lOn = klPerSample(zP, zS, 4).dataSync();
      const sub = (t: tf.Tensor2D) => tf.slice(t, 0, 2);
      const w = auraWeights(
        { lOff: klPerSample(sub(zT), sub(zS), 4), lOn: klPerSample(sub(zP), sub(zS), 4), hT: normalisedEntropy(sub(zT)), hPrev: normalisedEntropy(sub(zP)) },
        DEFAULT_DISTILL,
      ).wOff.dataSync();
      const expected = (w[0] * lOff[0] + (1 - w[0]) * lOn[0] + w[1] * lOff[1] + (1 - w[1]) * lOn[1] + lOff[2] + lOn[3]) / 4;
      expect(num(loss.distill)).toBeCloseTo(expected, 5);
      const wOff = Array.from(loss.wOff.dataSync());
      expect(wOff[0]).toBeCloseTo(w[0], 6);
      expect(wOff.slice(2)).toEqual([1, 0]);
      expect(num(loss.off)).toBeCloseTo((lOff[0] + lOff[1] + lOff[2]) / 3, 5);
      expect(num(loss.on)).toBeCloseTo((lOn[0] + lOn[1] + lOn[3]) / 3, 5);
    });
  });

  it('is plain CE when α = 0 or nothing is distilled', () => {
    tf.tidy(() => {
      const base = { logits: tf.tensor2d(Z_S), labels: tf.tensor1d(Y, 'int32'), cfg: DEFAULT_DISTILL };
      const none = distillationLoss({ ...base, groups: {}, alpha: 1 });
      expect(num(none.total)).toBeCloseTo(0.477362, 5);
      expect(none.wOff.shape).toEqual([0]);
      const zero = distillationLoss({ ...base, groups: { offlineOnly: { rows: rows([0, 1, 2, 3]), offline: tf.tensor2d(Z_T) } }, alpha: 0 });
      expect(num(zero.total)).toBeCloseTo(0.477362, 5);
    });
  });

  it('leaks no tensors', () => {
    const zT = tf.tensor2d(Z_T);
    const zP = tf.tensor2d(Z_PREV);
    const zS = tf.tensor2d(Z_S);
    const y = tf.tensor1d(Y, 'int32');
    const r = rows([0, 1, 2, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const l = distillationLoss({ logits: zS, labels: y, groups: { both: { rows: r, offline: zT, online: zP } }, cfg: DEFAULT_DISTILL, alpha: 1 });
      [l.total, l.ce, l.distill, l.off, l.on, l.wOff].forEach((t) => t.dispose());
    }
    expect(tf.memory().numTensors).toBe(before);
    [zT, zP, zS, y, r].forEach((t) => t.dispose());
  });
});
