import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DISTILL, DEFAULT_PREPROCESS } from '../../../main/engine/config.js';
import { evaluateModel, evaluateSavedRun } from '../../../main/engine/evaluate.js';
import { auraWeights, klPerSample, normalisedEntropy } from '../../../main/engine/losses.js';
import { createModel } from '../../../main/engine/models/index.js';
import { saveModel } from '../../../main/engine/modelStore.js';
import { blobChips } from './fixtures.js';

const set = blobChips({ n: 11, size: 16, classes: 3, seed: 6 });
const opts = { inputSize: 16, channels: 1, numClasses: 3 };
let student: tf.LayersModel;
let teacher: tf.LayersModel;
let online: tf.LayersModel;
let root = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  student = createModel('sarnet', { ...opts, seed: 1 });
  teacher = createModel('sarnet', { ...opts, seed: 2 });
  online = createModel('sarnet', { ...opts, seed: 3 });
  root = await mkdtemp(path.join(os.tmpdir(), 'aura-eval-'));
});

afterAll(async () => {
  [student, teacher, online].forEach((m) => m.dispose());
  await rm(root, { recursive: true, force: true });
});

describe('evaluateModel', () => {
  it('produces one full record per chip and consistent summary metrics', async () => {
    const r = await evaluateModel({ student, teacher, online, set, distill: DEFAULT_DISTILL, batchSize: 4 });
    expect(r.n).toBe(11);
    expect(r.classes).toEqual(set.classes);
    expect(r.chips.map((c) => c.key)).toEqual(set.keys);
    for (const c of r.chips) {
      for (const p of [c.student, c.offline, c.online]) {
        expect(p).toHaveLength(3);
        expect((p as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      expect(c.predicted).toBe(c.student.indexOf(Math.max(...c.student)));
      expect(c.correct).toBe(c.predicted === c.label);
      expect(c.offlineCorrect).toBe((c.offline as number[]).indexOf(Math.max(...(c.offline as number[]))) === c.label);
      for (const h of [c.entropyStudent, c.entropyOffline, c.entropyOnline]) expect(h).toBeGreaterThanOrEqual(0), expect(h).toBeLessThanOrEqual(1 + 1e-6);
      expect(c.wOff).toBeGreaterThanOrEqual(0);
      expect((c.wOff as number) + (c.wOn as number)).toBeCloseTo(1, 6);
    }
    expect(r.accuracy).toBeCloseTo(r.chips.filter((c) => c.correct).length / 11, 12);
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(11);
    expect(r.perClass).toHaveLength(3);
    expect(r.reliability).toHaveLength(10);
  });

  it('computes w_off per evaluated batch with the run config (z-scores over that batch)', async () => {
    const r = await evaluateModel({ student, teacher, online, set, distill: DEFAULT_DISTILL, batchSize: 4 });
    // Second batch: chips 4..7.
    const expected = tf.tidy(() => {
      const x = tf.tensor4d(set.x.subarray(4 * 256, 8 * 256), [4, 16, 16, 1]);
      const [zS, zT, zP] = [student, teacher, online].map((m) => m.predict(x) as tf.Tensor2D);
      return Array.from(
        auraWeights({ lOff: klPerSample(zT, zS, 4), lOn: klPerSample(zP, zS, 4), hT: normalisedEntropy(zT), hPrev: normalisedEntropy(zP) }, DEFAULT_DISTILL).wOff.dataSync(),
      );
    });
    r.chips.slice(4, 8).forEach((c, i) => expect(c.wOff).toBeCloseTo(expected[i], 5));
  });

  it('leaves teacher fields null when the run has no teachers', async () => {
    const r = await evaluateModel({ student, set, distill: DEFAULT_DISTILL });
    for (const c of r.chips) {
      expect(c).toMatchObject({ offline: null, online: null, entropyOffline: null, entropyOnline: null, wOff: null, wOn: null, offlineCorrect: null, onlineCorrect: null });
    }
    const kdOnly = await evaluateModel({ student, teacher, set, distill: DEFAULT_DISTILL });
    expect(kdOnly.chips[0].offline).not.toBeNull();
    expect(kdOnly.chips[0].wOff).toBeNull();
  });

  it('evaluates a saved run from disk with the same numbers', async () => {
    const meta = { backbone: 'sarnet' as const, classes: set.classes, preprocess: { ...DEFAULT_PREPROCESS, size: 16 }, inputSize: 16, channels: 1, method: 'aurakd' as const };
    await saveModel(student, path.join(root, 'student'), meta);
    await saveModel(teacher, path.join(root, 'teacher'), { ...meta, method: 'ce' });
    await saveModel(online, path.join(root, 'online'), meta);
    const before = tf.memory().numTensors;
    const fromDisk = await evaluateSavedRun({
      studentDir: path.join(root, 'student'),
      teacherDir: path.join(root, 'teacher'),
      onlineDir: path.join(root, 'online'),
      set,
      distill: DEFAULT_DISTILL,
      batchSize: 4,
    });
    expect(tf.memory().numTensors).toBe(before);
    const inMemory = await evaluateModel({ student, teacher, online, set, distill: DEFAULT_DISTILL, batchSize: 4 });
    expect(fromDisk).toEqual(inMemory);
  });

  it('rejects a model of the wrong shape and leaks nothing across repeated evaluations', async () => {
    const wide = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 4, seed: 1 });
    await expect(evaluateModel({ student: wide, set, distill: DEFAULT_DISTILL })).rejects.toThrow(/4 classes/);
    wide.dispose();
    await evaluateModel({ student, teacher, online, set, distill: DEFAULT_DISTILL, batchSize: 5 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await evaluateModel({ student, teacher, online, set, distill: DEFAULT_DISTILL, batchSize: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });
});
