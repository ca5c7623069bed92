/** The engine's own training step (AURA-KD and CE) gives the same results on wasm as on cpu. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { initBackend } from '../../../main/engine/backend.js';
import { createModel } from '../../../main/engine/models/index.js';
import { createOptimizer } from '../../../main/engine/optimizer.js';
import { createStudentStep, randomStepBatch } from '../../../main/engine/step.js';
import { trainRun } from '../../../main/engine/trainer.js';
import { blobChips, tinyConfig } from './fixtures.js';

async function twoSteps(backend: 'cpu' | 'wasm', method: 'ce' | 'aurakd') {
  await initBackend(backend);
  const model = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 3, seed: 4 });
  const optimizer = createOptimizer(model, { learningRate: 1e-3, weightDecay: 1e-4, decoupled: false });
  const step = createStudentStep(model, optimizer);
  const { batch, dispose } = randomStepBatch({ method, batchSize: 4, inputSize: 16, channels: 1, numClasses: 3, seed: 5 });
  const stats: number[][] = [];
  const tensors = tf.memory().numTensors;
  for (let i = 0; i < 2; i++) {
    const r = step(batch);
    stats.push(Array.from(r.statsTensor.dataSync()));
    r.statsTensor.dispose();
    r.newLogits.dispose();
  }
  expect(tf.memory().numTensors).toBe(tensors);
  const logits = tf.tidy(() => Array.from((model.predict(batch.x) as tf.Tensor).dataSync()));
  dispose();
  optimizer.dispose();
  model.dispose();
  return { stats, logits };
}

describe('training step on wasm vs cpu', () => {
  for (const method of ['ce', 'aurakd'] as const) {
    it(`${method}: logged losses and the updated model's logits agree`, async () => {
      const cpu = await twoSteps('cpu', method);
      const wasm = await twoSteps('wasm', method);
      cpu.stats.forEach((row, i) => row.forEach((v, j) => expect(wasm.stats[i][j]).toBeCloseTo(v, 4)));
      cpu.logits.forEach((v, i) => expect(wasm.logits[i]).toBeCloseTo(v, 4));
    });
  }
});

describe('trainer on wasm', () => {
  it('refuses, before building any model, a step that would exhaust the wasm heap', async () => {
    await initBackend('wasm');
    const train = blobChips({ n: 4, size: 88, seed: 1 });
    const tensors = tf.memory().numTensors;
    const config = tinyConfig({ method: 'aurakd', student: 'resnet50', teacher: 'sarnet', batchSize: 32, preprocess: { ...tinyConfig().preprocess, size: 88 } });
    const outDir = mkdtempSync(join(tmpdir(), 'aura-heap-'));
    onTestFinished(() => rmSync(outDir, { recursive: true, force: true }));
    await expect(trainRun({ config, data: { train }, outDir })).rejects.toThrow(/^The student resnet50 at 88×88, batch 32 \(×2: the previous batch is replayed\), needs about \d+\.\d GiB/);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
