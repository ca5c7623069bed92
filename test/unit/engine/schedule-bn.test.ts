import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormLayers, recalibrateBatchNorm } from '../../../main/engine/bnRecalibrate.js';
import { createModel } from '../../../main/engine/models/index.js';
import { learningRateAt } from '../../../main/engine/schedule.js';
import { blobChips } from './fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('learning-rate schedule', () => {
  it('constant keeps the base rate; cosine halves it mid-way and never reaches 0', () => {
    expect(learningRateAt('constant', 0.002, 7, 10)).toBe(0.002);
    expect(learningRateAt(undefined, 0.002, 7, 10)).toBe(0.002);
    expect(learningRateAt('cosine', 0.002, 1, 10)).toBe(0.002);
    expect(learningRateAt('cosine', 0.002, 6, 10)).toBeCloseTo(0.001, 12);
    expect(learningRateAt('cosine', 0.002, 10, 10)).toBeCloseTo(0.002 * (1 - Math.cos(Math.PI / 10)) / 2, 12);
    expect(learningRateAt('cosine', 0.002, 10, 10)).toBeGreaterThan(0);
    expect(learningRateAt('cosine', 0.002, 1, 1)).toBe(0.002);
  });
});

describe('batch-norm recalibration', () => {
  it('sets each running mean/variance to the mean of the batch statistics, restores momentum, leaks nothing', () => {
    const set = blobChips({ n: 24, size: 16, seed: 3 });
    const model = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 2, seed: 1 });
    const first = batchNormLayers(model)[0];
    const momentum = (first as unknown as { momentum: number }).momentum;
    // Expected: the stem conv output's per-channel batch moments over the same two batches of 12 chips.
    const conv = model.getLayer('stage1_conv');
    const stem = tf.model({ inputs: model.inputs, outputs: conv.output as tf.SymbolicTensor });
    const moments = [0, 12].map((s) =>
      tf.tidy(() => {
        const out = stem.predict(tf.tensor4d(set.x.subarray(s * 256, (s + 12) * 256), [12, 16, 16, 1])) as tf.Tensor;
        const m = tf.moments(out, [0, 1, 2]);
        return [m.mean.dataSync().slice(), m.variance.dataSync().slice()];
      }),
    );
    const before = tf.memory().numTensors;
    expect(recalibrateBatchNorm(model, set, { batchSize: 12, maxChips: 1000 })).toBe(24);
    expect(tf.memory().numTensors).toBe(before);
    const [, , movingMean, movingVar] = first.getWeights().map((w) => w.dataSync());
    for (let c = 0; c < 16; c++) {
      expect(movingMean[c]).toBeCloseTo((moments[0][0][c] + moments[1][0][c]) / 2, 4);
      expect(movingVar[c]).toBeCloseTo((moments[0][1][c] + moments[1][1][c]) / 2, 4);
    }
    expect((first as unknown as { momentum: number }).momentum).toBe(momentum);
    model.dispose();
  });
});
