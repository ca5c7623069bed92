import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESS } from '../../../main/engine/config.js';
import { createModel } from '../../../main/engine/models/index.js';
import { classifyTensorSet, fileLoadHandler, loadModel, saveModel, type ModelMetaInput } from '../../../main/engine/modelStore.js';
import { blobChips } from './fixtures.js';

let root = '';
const chips = blobChips({ n: 10, size: 16, channels: 2, classes: 3, seed: 4 });
const META: ModelMetaInput = {
  backbone: 'sarnet',
  classes: chips.classes,
  preprocess: { ...DEFAULT_PREPROCESS, size: 16, channels: 2 },
  inputSize: 16,
  channels: 2,
  method: 'aurakd',
  metrics: { valAccuracy: 0.5 },
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  root = await mkdtemp(path.join(os.tmpdir(), 'aura-store-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function logitsOf(model: tf.LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor4d(chips.x, [chips.n, 16, 16, 2])) as tf.Tensor).dataSync() as Float32Array);
}

describe('model store', () => {
  it('saves the tfjs layers format plus the sidecar, and a loaded model predicts identically', async () => {
    const model = createModel('sarnet', { inputSize: 16, channels: 2, numClasses: 3, seed: 9 });
    const dir = path.join(root, 'm1');
    const saved = await saveModel(model, dir, META);
    expect(readdirSync(dir).sort()).toEqual(['aura-model.json', 'model.json', 'weights.bin']);
    const modelJson = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'aura-model.json'), 'utf8'));
    expect(sidecar).toEqual(saved);
    expect(sidecar).toMatchObject({ format: 'aura-kd-model', version: 1, backbone: 'sarnet', classes: chips.classes, inputSize: 16, channels: 2, method: 'aurakd' });
    expect(Number.isNaN(Date.parse(sidecar.createdAt))).toBe(false);

    const { model: loaded, meta } = await loadModel(dir);
    expect(meta).toEqual(saved);
    expect(Array.from(logitsOf(loaded))).toEqual(Array.from(logitsOf(model)));
    const a = classifyTensorSet(model, meta, chips);
    const b = classifyTensorSet(loaded, meta, chips, 3);
    expect(b).toEqual(a);
    // The plain tfjs loader reads it too (standard format).
    const plain = await tf.loadLayersModel(fileLoadHandler(dir));
    expect(plain.countParams()).toBe(model.countParams());
    [model, loaded, plain].forEach((m) => m.dispose());
  });

  it('replaces an existing model atomically and leaves no temp directories', async () => {
    const dir = path.join(root, 'm2');
    const m1 = createModel('sarnet', { inputSize: 16, channels: 2, numClasses: 3, seed: 1 });
    const m2 = createModel('sarnet', { inputSize: 16, channels: 2, numClasses: 3, seed: 2 });
    await saveModel(m1, dir, META);
    await saveModel(m2, dir, { ...META, method: 'kd' });
    expect(readdirSync(root).filter((f) => f.includes('m2'))).toEqual(['m2']);
    const { model, meta } = await loadModel(dir);
    expect(meta.method).toBe('kd');
    expect(Array.from(logitsOf(model))).toEqual(Array.from(logitsOf(m2)));
    [m1, m2, model].forEach((m) => m.dispose());
  });

  it('classifyTensorSet returns probabilities, arg-max classes and normalised entropies', async () => {
    const model = createModel('sarnet', { inputSize: 16, channels: 2, numClasses: 3, seed: 3 });
    const meta = { ...META, format: 'aura-kd-model' as const, version: 1 as const, createdAt: '2024-01-01T00:00:00Z' };
    const r = classifyTensorSet(model, meta, chips);
    expect(r.probs.length).toBe(10);
    r.probs.forEach((p, i) => {
      expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
      expect(r.predicted[i]).toBe(p.indexOf(Math.max(...p)));
      const h = -p.reduce((s, v) => s + (v > 0 ? v * Math.log(v) : 0), 0) / Math.log(3);
      expect(r.entropy[i]).toBeCloseTo(h, 5);
    });
    expect(() => classifyTensorSet(model, meta, { ...chips, size: 20 })).toThrow(/model needs 16×16×2/);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) classifyTensorSet(model, meta, chips, 4);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses directories that are not AURA-KD models', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(loadModel(empty)).rejects.toThrow(/not an AURA-KD model directory/);
  });
});
