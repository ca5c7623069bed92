import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerFastCpuKernels } from '../../../main/engine/cpuKernels.js';
import { classifyTensorSet, loadModel } from '../../../main/engine/modelStore.js';
import { trainRun } from '../../../main/engine/trainer.js';
import type { TrainResult } from '../../../main/engine/types.js';
import { blobChips, tinyConfig } from './fixtures.js';

let root = '';
const train = blobChips({ n: 24, size: 16, seed: 11 });
const val = blobChips({ n: 12, size: 16, seed: 12 });
const config = tinyConfig({ method: 'aurakd', epochs: 3, teacherEpochs: 1 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
  root = await mkdtemp(path.join(os.tmpdir(), 'aura-resume-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function predictions(dir: string): Promise<number[][]> {
  const { model, meta } = await loadModel(dir);
  const out = classifyTensorSet(model, meta, val).probs;
  model.dispose();
  return out;
}

function comparable(r: TrainResult) {
  return r.epochs.map((m) => ({ phase: m.phase, epoch: m.epoch, ...m.loss, w: m.wOff.mean, ws: m.wOff.std, acc: m.trainAccuracy, val: m.valAccuracy, valLoss: m.valLoss }));
}

describe('cancel and resume', () => {
  it('cancels between batches, keeps the last checkpoint, and resumes to the same result as an uninterrupted run', async () => {
    const full = await trainRun({ config, data: { train, val }, outDir: path.join(root, 'full') });
    expect(full.status).toBe('done');

    const outDir = path.join(root, 'interrupted');
    const controller = new AbortController();
    const cancelled = await trainRun({
      config,
      data: { train, val },
      outDir,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'epoch' && e.phase === 'student' && e.epoch === 1) controller.abort();
      },
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.epochs.map((m) => `${m.phase}${m.epoch}`)).toEqual(['teacher1', 'student1']);
    expect(existsSync(path.join(outDir, 'student'))).toBe(false);
    const state = JSON.parse(readFileSync(path.join(outDir, 'checkpoint', 'state.json'), 'utf8'));
    expect(state).toMatchObject({ phase: 'student', epoch: 1, rng: { seed: config.seed, nextEpoch: 2 } });
    expect(state.online.mode).toBe('lastBatch');

    await expect(trainRun({ config: { ...config, epochs: 4 }, data: { train, val }, outDir, resume: true })).rejects.toThrow(/different config/);
    // As a version before distill.offlinePrior wrote it: the option's absence means its default, so it resumes.
    const stateFile = path.join(outDir, 'checkpoint', 'state.json');
    const older = JSON.parse(readFileSync(stateFile, 'utf8'));
    delete older.config.distill.offlinePrior;
    writeFileSync(stateFile, JSON.stringify(older));

    const before = tf.memory().numTensors;
    const resumed = await trainRun({ config, data: { train, val }, outDir, resume: true });
    expect(tf.memory().numTensors).toBe(before);
    expect(resumed.status).toBe('done');
    expect(resumed.bestEpoch).toBe(full.bestEpoch);
    const a = comparable(full);
    const b = comparable(resumed);
    expect(b.length).toBe(a.length);
    a.forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) {
        const w = (b[i] as Record<string, unknown>)[k];
        if (typeof v === 'number') expect(Math.abs(v - (w as number)), `${row.phase}${row.epoch}.${k}`).toBeLessThan(1e-5);
        else expect(w).toEqual(v);
      }
    });
    const pa = await predictions(full.studentDir);
    const pb = await predictions(resumed.studentDir);
    pa.forEach((row, i) => row.forEach((p, j) => expect(Math.abs(p - pb[i][j])).toBeLessThan(1e-5)));
    expect(existsSync(path.join(outDir, 'checkpoint'))).toBe(false);
  });

  it('cancelling inside the teacher phase returns at once with no checkpoint', async () => {
    const controller = new AbortController();
    let batches = 0;
    const r = await trainRun({
      config,
      data: { train, val },
      outDir: path.join(root, 'teacher-cancel'),
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'batch') {
          batches += 1;
          controller.abort();
        }
      },
    });
    expect(r.status).toBe('cancelled');
    expect(batches).toBe(1);
    expect(r.teacherDir).toBeNull();
    expect(existsSync(path.join(root, 'teacher-cancel', 'checkpoint'))).toBe(false);
  });
});
