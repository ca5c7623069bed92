import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../../../main/engine/cpuKernels.js';
import { createModel } from '../../../main/engine/models/index.js';
import { createOptimizer } from '../../../main/engine/optimizer.js';
import { createStudentStep, randomStepBatch, readStepStats } from '../../../main/engine/step.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
});

describe('createStudentStep', () => {
  for (const method of ['ce', 'kd', 'selfkd', 'aurakd'] as const) {
    it(`${method}: one step on random data reports consistent stats, lowers the loss on repeats, leaks nothing`, () => {
      const model = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 3, seed: 1 });
      const optimizer = createOptimizer(model, { learningRate: 3e-3, weightDecay: 0, decoupled: false });
      const step = createStudentStep(model, optimizer);
      const { batch, dispose } = randomStepBatch({ method, batchSize: 4, inputSize: 16, channels: 1, numClasses: 3, seed: 2 });
      const rows = method === 'aurakd' || method === 'selfkd' ? 8 : 4;
      expect(batch.x.shape[0]).toBe(rows);
      const totals: number[] = [];
      let before = 0;
      for (let i = 0; i < 4; i++) {
        if (i === 1) before = tf.memory().numTensors;
        const r = step(batch);
        expect(r.newLogits.shape).toEqual([4, 3]);
        const s = readStepStats(r, 4);
        r.statsTensor.dispose();
        r.newLogits.dispose();
        totals.push(s.total);
        expect(s.total).toBeCloseTo(s.ce + batch.alpha * s.distill, 4);
        expect(s.distilled).toBe(method === 'ce' ? 0 : 4);
        if (method === 'kd') expect(s.wOffMean).toBe(1);
        if (method === 'selfkd') expect(s.wOffMean).toBe(0);
        if (method === 'aurakd') expect(s.wOffMean).toBeGreaterThan(0), expect(s.wOffMean).toBeLessThan(1);
        expect(s.accuracy).toBeGreaterThanOrEqual(0);
        expect(s.accuracy).toBeLessThanOrEqual(1);
      }
      expect(tf.memory().numTensors).toBe(before);
      expect(totals[3]).toBeLessThan(totals[0]);
      expect(optimizer.step).toBe(4);
      dispose();
      optimizer.dispose();
      model.dispose();
    });
  }

  it('rejects new rows outside the batch', () => {
    const model = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 2, seed: 1 });
    const optimizer = createOptimizer(model, { learningRate: 1e-3, weightDecay: 0, decoupled: false });
    const { batch, dispose } = randomStepBatch({ method: 'ce', batchSize: 2, inputSize: 16, channels: 1, numClasses: 2, seed: 1 });
    expect(() => createStudentStep(model, optimizer)({ ...batch, newRows: [0, 5] })).toThrow(/newRows/);
    dispose();
    optimizer.dispose();
    model.dispose();
  });
});

describe('backend coverage', () => {
  it('an AURA-KD step only uses kernels the wasm backend has (the engine adds Conv2DBackpropFilter itself)', async () => {
    await import('@tensorflow/tfjs-backend-wasm'); // registers its kernels; the active backend stays cpu
    const model = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 3, seed: 1 });
    const optimizer = createOptimizer(model, { learningRate: 1e-3, weightDecay: 1e-4, decoupled: false });
    const step = createStudentStep(model, optimizer);
    const { batch, dispose } = randomStepBatch({ method: 'aurakd', batchSize: 4, inputSize: 16, channels: 1, numClasses: 3, seed: 2 });
    // Mixed groups with non-contiguous rows, as logitBank produces them.
    const both = batch.groups.both as NonNullable<typeof batch.groups.both>;
    const rowsA = tf.tensor1d([0, 2], 'int32');
    const rowsB = tf.tensor1d([1, 3], 'int32');
    const offA = tf.gather(both.offline, rowsA) as tf.Tensor2D;
    const onA = tf.gather(both.online, rowsA) as tf.Tensor2D;
    const offB = tf.gather(both.offline, rowsB) as tf.Tensor2D;
    const mixed = { ...batch, groups: { both: { rows: rowsA, offline: offA, online: onA }, offlineOnly: { rows: rowsB, offline: offB } } };
    const info = await tf.profile(() => {
      const r = step(mixed);
      r.newLogits.dispose();
      return r.statsTensor;
    });
    const used = [...new Set(info.kernels.map((k) => k.name))].filter((n) => tf.getKernel(n, 'cpu'));
    expect(used).toContain('Conv2DBackpropFilter');
    const missing = used.filter((n) => n !== 'Conv2DBackpropFilter' && !tf.getKernel(n, 'wasm'));
    expect(missing).toEqual([]);
    [rowsA, rowsB, offA, onA, offB].forEach((t) => t.dispose());
    dispose();
    optimizer.dispose();
    model.dispose();
  });
});
