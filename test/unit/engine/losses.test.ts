import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISTILL, type DistillConfig, type Granularity, type LossNorm, type Weighting } from '../../../main/engine/config.js';
import {
  auraWeights,
  crossEntropyPerSample,
  klPerSample,
  lossDelta,
  normalisedEntropy,
  softmaxNegUWeights,
  stopGradient,
} from '../../../main/engine/losses.js';

// Reference inputs of AURA-KD.md (τ = 4, 3 classes, 4 chips).
const Z_T = [[4, 0.5, -1], [0.3, 0.2, 0.1], [-1, 3, 0], [2, 2, -2]];
const Z_PREV = [[0.1, 0, -0.1], [2.5, -0.5, 0], [-0.5, 2, 0.5], [1, 1.5, -1]];
const Z_S = [[0.2, 0.1, -0.2], [2.4, -0.4, 0.1], [-0.6, 2.2, 0.4], [1.1, 1.4, -0.9]];
const Y = [0, 0, 1, 1];

function expectClose(actual: ArrayLike<number>, expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(Math.abs(actual[i] - e), `index ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(tol));
}

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

function referenceInputs() {
  const zT = tf.tensor2d(Z_T);
  const zP = tf.tensor2d(Z_PREV);
  const zS = tf.tensor2d(Z_S);
  const y = tf.tensor1d(Y, 'int32');
  return {
    lOff: klPerSample(zT, zS, 4),
    lOn: klPerSample(zP, zS, 4),
    hT: normalisedEntropy(zT),
    hPrev: normalisedEntropy(zP),
    ceT: crossEntropyPerSample(zT, y),
    cePrev: crossEntropyPerSample(zP, y),
  };
}

const cfg = (over: Partial<DistillConfig>): DistillConfig => ({ ...DEFAULT_DISTILL, ...over });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('AURA-KD reference values (AURA-KD.md)', () => {
  it('reproduces l_off, l_on, Ĥ_T, Ĥ_prev, w_off, the weighted mean and CE to 1e-5', () => {
    tf.tidy(() => {
      const inp = referenceInputs();
      expectClose(arr(inp.lOff), [1.980587, 0.706201, 0.17953, 0.257805]);
      expectClose(arr(inp.lOn), [0.004362, 0.004999, 0.011163, 0.004836]);
      expectClose(arr(inp.hT), [0.155365, 0.996973, 0.249691, 0.672268]);
      expectClose(arr(inp.hPrev), [0.996973, 0.397898, 0.618983, 0.750975]);
      const { wOff, wOn } = auraWeights(inp, DEFAULT_DISTILL);
      expectClose(arr(wOff), [0.871181, 0.07157, 0.946841, 0.630336]);
      expectClose(arr(tf.add(wOff, wOn)), [1, 1, 1, 1], 1e-7);
      const weighted = tf.mean(tf.add(tf.mul(wOff, inp.lOff), tf.mul(wOn, inp.lOn)));
      expect(Math.abs(weighted.dataSync()[0] - 0.529017)).toBeLessThanOrEqual(1e-5);
      const ce = tf.mean(crossEntropyPerSample(tf.tensor2d(Z_S), tf.tensor1d(Y, 'int32')));
      expect(Math.abs(ce.dataSync()[0] - 0.477362)).toBeLessThanOrEqual(1e-5);
    });
  });
});

describe('klPerSample', () => {
  it('is zero for identical logits and τ²-scaled', () => {
    tf.tidy(() => {
      const z = tf.tensor2d([[1, 2, 3]]);
      expectClose(arr(klPerSample(z, z, 4)), [0], 1e-7);
      const t = tf.tensor2d([[3, 1]]);
      const s = tf.tensor2d([[1, 3]]);
      // τ = 1: KL([σ(2), σ(−2)] ‖ [σ(−2), σ(2)]) = (σ(2) − σ(−2))·log(σ(2)/σ(−2)) = 2·tanh(1) = 1.5231883;
      // τ = 2 halves the logit gap g (KL = g·tanh(g/2)): 4·(1·tanh(1/2)) = 1.8484687
      expectClose(arr(klPerSample(t, s, 1)), [1.5231883], 1e-5);
      expectClose(arr(klPerSample(t, s, 2)), [1.8484687], 1e-5);
    });
  });

  it('stays finite and exact for extreme logits', () => {
    tf.tidy(() => {
      const kl = arr(klPerSample(tf.tensor2d([[100, -100]]), tf.tensor2d([[-100, 100]]), 1));
      expectClose(kl, [200], 1e-3);
    });
  });

  it('has gradient τ·(p_s − p_t) with respect to the student logits', () => {
    tf.tidy(() => {
      const t = tf.tensor2d(Z_T);
      const s = tf.tensor2d(Z_S);
      const g = tf.grad((x: tf.Tensor) => tf.sum(klPerSample(t, x as tf.Tensor2D, 4)))(s);
      const expected = tf.mul(4, tf.sub(tf.softmax(tf.div(s, 4)), tf.softmax(tf.div(t, 4))));
      expectClose(arr(g), arr(expected), 1e-6);
    });
  });

  it('rejects mismatched shapes and a non-positive temperature', () => {
    tf.tidy(() => {
      expect(() => klPerSample(tf.zeros([2, 3]), tf.zeros([2, 4]), 1)).toThrow(/shapes differ/);
      expect(() => klPerSample(tf.zeros([2, 3]), tf.zeros([2, 3]), 0)).toThrow(/temperature/);
    });
  });
});

describe('entropy and cross-entropy', () => {
  it('normalisedEntropy is 1 for uniform and 0 for one-hot-like logits', () => {
    tf.tidy(() => {
      expectClose(arr(normalisedEntropy(tf.tensor2d([[0, 0, 0, 0], [200, 0, 0, 0]]))), [1, 0], 1e-6);
      expect(() => normalisedEntropy(tf.zeros([2, 1]) as tf.Tensor2D)).toThrow(/2 classes/);
    });
  });

  it('crossEntropyPerSample is −log softmax at the label', () => {
    tf.tidy(() => {
      const ce = arr(crossEntropyPerSample(tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([1], 'int32')));
      expectClose(ce, [-Math.log(3 / 4)], 1e-6);
    });
  });
});

describe('stopGradient', () => {
  it('is the identity forward and blocks the gradient', () => {
    tf.tidy(() => {
      const x = tf.tensor1d([1, 2, 3]);
      expectClose(arr(stopGradient(x)), [1, 2, 3], 0);
      // d/dx Σ (x² + sg(x)²) = 2x only.
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.add(tf.square(v), tf.square(stopGradient(v)))))(x);
      expectClose(arr(g), [2, 4, 6], 0);
      const gOnly = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(stopGradient(v), 5)))(x);
      expectClose(arr(gOnly), [0, 0, 0], 0);
    });
  });
});

// Expected w_off for the reference inputs, computed by hand (float64) from the formulas in losses.ts.
const EXPECTED: Record<string, number[]> = {
  'sigmoidDiff/zscore/sample': [0.871181, 0.07157, 0.946841, 0.630336],
  'sigmoidDiff/zscore/batch': [0.666085, 0.666085, 0.666085, 0.666085],
  'sigmoidDiff/relative/sample': [0.798223, 0.012516, 0.428326, 0.166378],
  'sigmoidDiff/relative/batch': [0.227358, 0.227358, 0.227358, 0.227358],
  'sigmoidDiff/raw/sample': [0.35755, 0.021909, 0.757759, 0.452367],
  'sigmoidDiff/raw/batch': [0.29758, 0.29758, 0.29758, 0.29758],
  'sigmoidDiff/none/sample': [0.966639, 0.083455, 0.814145, 0.578063],
  'sigmoidDiff/none/batch': [0.666085, 0.666085, 0.666085, 0.666085],
  'ebkdRatio/sample': [0.865174, 0.285258, 0.712561, 0.52765],
  'ebkdRatio/batch': [0.571349, 0.571349, 0.571349, 0.571349],
  'camkd/sample': [0.724256, 0.293578, 0.549954, 0.455529],
  'camkd/batch': [0.506858, 0.506858, 0.506858, 0.506858],
};

describe('auraWeights options', () => {
  const norms: LossNorm[] = ['zscore', 'relative', 'raw', 'none'];
  const grains: Granularity[] = ['sample', 'batch'];
  for (const lossNorm of norms) {
    for (const granularity of grains) {
      it(`sigmoidDiff with lossNorm ${lossNorm}, granularity ${granularity}`, () => {
        tf.tidy(() => {
          const { wOff, wOn } = auraWeights(referenceInputs(), cfg({ lossNorm, granularity }));
          expectClose(arr(wOff), EXPECTED[`sigmoidDiff/${lossNorm}/${granularity}`]);
          expectClose(arr(tf.add(wOff, wOn)), [1, 1, 1, 1], 1e-7);
        });
      });
      it(`softmaxNegU equals sigmoidDiff (lossNorm ${lossNorm}, granularity ${granularity})`, () => {
        tf.tidy(() => {
          const a = auraWeights(referenceInputs(), cfg({ weighting: 'softmaxNegU', lossNorm, granularity }));
          expectClose(arr(a.wOff), EXPECTED[`sigmoidDiff/${lossNorm}/${granularity}`]);
        });
      });
    }
  }
  for (const weighting of ['ebkdRatio', 'camkd'] as Weighting[]) {
    for (const granularity of grains) {
      it(`${weighting}, granularity ${granularity}`, () => {
        tf.tidy(() => {
          expectClose(arr(auraWeights(referenceInputs(), cfg({ weighting, granularity })).wOff), EXPECTED[`${weighting}/${granularity}`]);
        });
      });
    }
  }

  it('fixed, offlineOnly and onlineOnly give constant weights', () => {
    tf.tidy(() => {
      const inp = referenceInputs();
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'fixed' })).wOff), [0.5, 0.5, 0.5, 0.5], 0);
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'offlineOnly' })).wOn), [0, 0, 0, 0], 0);
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'onlineOnly' })).wOff), [0, 0, 0, 0], 0);
    });
  });

  it('ebkdRatio is 0.5 when both teachers are certain; camkd needs the CEs', () => {
    tf.tidy(() => {
      const z = tf.zeros([2]) as tf.Tensor1D;
      expectClose(arr(auraWeights({ lOff: z, lOn: z, hT: z, hPrev: z }, cfg({ weighting: 'ebkdRatio' })).wOff), [0.5, 0.5], 1e-7);
      expect(() => auraWeights({ lOff: z, lOn: z, hT: z, hPrev: z }, cfg({ weighting: 'camkd' }))).toThrow(/ceT and cePrev/);
      expect(() => auraWeights({ lOff: z, lOn: tf.zeros([3]) as tf.Tensor1D, hT: z, hPrev: z }, DEFAULT_DISTILL)).toThrow(/3 chips/);
    });
  });

  it('lossDelta clips the z-score difference to [−1, 1]', () => {
    tf.tidy(() => {
      // One outlier: zo − zn reaches ±3.4 for the last chip, clipped to ±1 after /3.
      const lOff = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
      const lOn = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      const d = arr(lossDelta(lOff, lOn, { lossNorm: 'zscore', epsilon: 1e-3 }));
      expect(d[11]).toBeCloseTo(1, 6);
      expect(d[0]).toBeCloseTo(-0.30151 / 3, 4);
    });
  });

  it('softmaxNegU generalises to three teachers: weights sum to 1, the least uncertain gets the most', () => {
    tf.tidy(() => {
      const h = [tf.tensor1d([0.1, 0.9]), tf.tensor1d([0.5, 0.5]), tf.tensor1d([0.9, 0.1])];
      const l = [tf.tensor1d([1, 1]), tf.tensor1d([1, 1]), tf.tensor1d([1, 1])];
      const w = softmaxNegUWeights(h, l, cfg({}));
      const rows = w.map(arr);
      expectClose([rows[0][0] + rows[1][0] + rows[2][0], rows[0][1] + rows[1][1] + rows[2][1]], [1, 1], 1e-6);
      // Equal losses: w_k ∝ exp(−β·Ĥ_k).
      const z = Math.exp(-0.4) + Math.exp(-2) + Math.exp(-3.6);
      expectClose(rows.map((r) => r[0]), [Math.exp(-0.4) / z, Math.exp(-2) / z, Math.exp(-3.6) / z], 1e-6);
    });
  });

  it('offlinePrior b shifts w_off by b in log-odds: sigmoid(b − (β·ΔH + γ·ΔL)) on the reference chips', () => {
    tf.tidy(() => {
      const inp = referenceInputs();
      // sigmoid(logit(w_off) + b) of AURA-KD.md's reference w_off = [0.871181, 0.071570, 0.946841, 0.630336].
      expectClose(arr(auraWeights(inp, cfg({ offlinePrior: 2 })).wOff), [0.980381, 0.362895, 0.992459, 0.926468]);
      expectClose(arr(auraWeights(inp, cfg({ offlinePrior: -1 })).wOff), [0.713295, 0.027577, 0.867593, 0.385483]);
      const shifted = auraWeights(inp, cfg({ offlinePrior: 2 }));
      expectClose(arr(tf.add(shifted.wOff, shifted.wOn)), [1, 1, 1, 1], 1e-7);
      // 0 is AURA-KD.md's definition, bit for bit.
      expect(arr(auraWeights(inp, cfg({ offlinePrior: 0 })).wOff)).toEqual(arr(auraWeights(inp, cfg({})).wOff));
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'fixed', offlinePrior: 2 })).wOff), Array(4).fill(0.880797));
      // The saturated baselines stay exactly what they are: KD and Self-KD do not change.
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'offlineOnly', offlinePrior: -10 })).wOff), [1, 1, 1, 1], 0);
      expectClose(arr(auraWeights(inp, cfg({ weighting: 'onlineOnly', offlinePrior: 10 })).wOff), [0, 0, 0, 0], 0);
    });
  });

  it('leaks no tensors', () => {
    const inp = referenceInputs();
    const before = tf.memory().numTensors;
    for (const weighting of ['sigmoidDiff', 'softmaxNegU', 'ebkdRatio', 'camkd', 'fixed'] as Weighting[]) {
      for (const offlinePrior of [0, 1.5]) {
        const w = auraWeights(inp, cfg({ weighting, granularity: 'batch', offlinePrior }));
        w.wOff.dispose();
        w.wOn.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
    Object.values(inp).forEach((t) => t.dispose());
  });
});
