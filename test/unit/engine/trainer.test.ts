import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Method } from '../../../main/engine/config.js';
import { registerFastCpuKernels } from '../../../main/engine/cpuKernels.js';
import { trainRun } from '../../../main/engine/trainer.js';
import type { EpochProgress, TrainProgress } from '../../../main/engine/types.js';
import { blobChips, tinyConfig } from './fixtures.js';

let root = '';
const train = blobChips({ n: 32, size: 16, seed: 1 });
const val = blobChips({ n: 16, size: 16, seed: 2 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
  root = await mkdtemp(path.join(os.tmpdir(), 'aura-trainer-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const EXPECT: Record<Method, { teacher: boolean; online: boolean; wOff: (w: number) => boolean }> = {
  ce: { teacher: false, online: false, wOff: (w) => w === 0 },
  kd: { teacher: true, online: false, wOff: (w) => w === 1 },
  selfkd: { teacher: false, online: true, wOff: (w) => w === 0 },
  aurakd: { teacher: true, online: true, wOff: (w) => w > 0 && w < 1 },
};

describe('trainRun: a tiny real run of every method (sarnet, 16 px, 2 classes)', () => {
  for (const method of ['ce', 'kd', 'selfkd', 'aurakd'] as Method[]) {
    it(method, async () => {
      const events: TrainProgress[] = [];
      const tensorsAtEpoch: number[] = [];
      const before = tf.memory().numTensors;
      const outDir = path.join(root, method);
      const result = await trainRun({
        config: tinyConfig({ method, epochs: method === 'ce' ? 3 : 2 }),
        data: { train, val },
        outDir,
        onProgress: (e) => {
          events.push(e);
          if (e.kind === 'epoch' && e.phase === 'student') tensorsAtEpoch.push(tf.memory().numTensors);
        },
      });
      const exp = EXPECT[method];
      expect(result.status).toBe('done');
      expect(result.backend).toBe('cpu');
      const teacherEpochs = result.epochs.filter((m) => m.phase === 'teacher');
      const student = result.epochs.filter((m) => m.phase === 'student');
      expect(teacherEpochs.length).toBe(exp.teacher ? 1 : 0);
      expect(student.length).toBe(method === 'ce' ? 3 : 2);
      // It learns: CE falls and the student beats chance on held-out chips.
      expect(student[1].loss.ce).toBeLessThan(student[0].loss.ce);
      expect(result.bestValAccuracy).toBeGreaterThan(0.75);
      expect(student.every((m) => m.trainAccuracy >= 0 && m.trainAccuracy <= 1)).toBe(true);
      // Distillation terms and weights as the method defines them.
      expect(student[1].loss.off > 0).toBe(exp.teacher);
      expect(student[1].loss.on > 0).toBe(exp.online);
      expect(exp.wOff(student[1].wOff.mean)).toBe(true);
      // Outputs on disk.
      expect(existsSync(path.join(outDir, 'student', 'model.json'))).toBe(true);
      expect(existsSync(path.join(outDir, 'student', 'weights.bin'))).toBe(true);
      const meta = JSON.parse(readFileSync(path.join(outDir, 'student', 'aura-model.json'), 'utf8'));
      expect(meta).toMatchObject({ format: 'aura-kd-model', version: 1, backbone: 'sarnet', method, inputSize: 16, channels: 1, classes: train.classes });
      expect(result.teacherDir !== null).toBe(exp.teacher);
      if (exp.teacher) expect(existsSync(path.join(outDir, 'teacher', 'aura-model.json'))).toBe(true);
      expect(result.onlineDir !== null).toBe(exp.online);
      expect(existsSync(path.join(outDir, 'online'))).toBe(exp.online);
      expect(existsSync(path.join(outDir, 'checkpoint'))).toBe(false);
      // Progress: one batch event per step (4 per epoch), one epoch event per epoch, ETA reaches 0.
      const batches = events.filter((e) => e.kind === 'batch');
      expect(batches.length).toBe(4 * result.epochs.length);
      const epochs = events.filter((e): e is EpochProgress => e.kind === 'epoch');
      expect(epochs.length).toBe(result.epochs.length);
      expect(epochs.at(-1)?.etaSec).toBe(0);
      expect(batches.every((e) => e.kind === 'batch' && Number.isFinite(e.loss.total) && e.chipsPerSec > 0)).toBe(true);
      // No tensor leaks: flat across epochs and back to the start after the run.
      expect(new Set(tensorsAtEpoch).size).toBe(1);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('lastBatch: the first step is CE only, every later step distils the replayed chips', async () => {
    const events: TrainProgress[] = [];
    await trainRun({ config: tinyConfig({ method: 'selfkd', epochs: 1 }), data: { train }, outDir: path.join(root, 'replay'), onProgress: (e) => events.push(e) });
    const steps = events.filter((e) => e.kind === 'batch');
    expect(steps[0].kind === 'batch' && steps[0].loss.on).toBe(0);
    expect(steps.slice(1).every((e) => e.kind === 'batch' && e.loss.on > 0)).toBe(true);
  });

  it('rejects bad input with one-line messages', async () => {
    await expect(trainRun({ config: tinyConfig({ batchSize: 1 }), data: { train }, outDir: path.join(root, 'bad') })).rejects.toThrow(/batchSize/);
    await expect(trainRun({ config: tinyConfig(), data: { train, val: { ...val, size: 20 } }, outDir: path.join(root, 'bad') })).rejects.toThrow(/val set/);
  });
});
