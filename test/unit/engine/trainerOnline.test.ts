import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rng } from '../../../main/data/random.js';
import { DEFAULT_DISTILL } from '../../../main/engine/config.js';
import { registerFastCpuKernels } from '../../../main/engine/cpuKernels.js';
import { trainRun } from '../../../main/engine/trainer.js';
import type { BatchProgress, TrainProgress } from '../../../main/engine/types.js';
import { blobChips, tinyConfig } from './fixtures.js';

let root = '';
let teacherDir = '';
const train = blobChips({ n: 32, size: 16, seed: 1 });
const val = blobChips({ n: 16, size: 16, seed: 2 });

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerFastCpuKernels();
  root = await mkdtemp(path.join(os.tmpdir(), 'aura-online-'));
  // A saved model to act as the offline teacher (skips teacher training in the runs below).
  const r = await trainRun({ config: tinyConfig({ method: 'ce', epochs: 1 }), data: { train }, outDir: path.join(root, 'teacher-run') });
  teacherDir = r.studentDir;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(name: string, onlineTeacher: 'lastBatch' | 'logitBank' | 'naivePrevBatch', extra: Parameters<typeof trainRun>[0] extends infer O ? Partial<O> : never = {}) {
  const events: TrainProgress[] = [];
  const before = tf.memory().numTensors;
  const result = await trainRun({
    config: tinyConfig({ method: 'aurakd', distill: { ...DEFAULT_DISTILL, onlineTeacher } }),
    data: { train, val },
    outDir: path.join(root, name),
    teacherDir,
    onProgress: (e) => events.push(e),
    ...extra,
  });
  expect(tf.memory().numTensors).toBe(before);
  const steps = events.filter((e): e is BatchProgress => e.kind === 'batch');
  return { result, steps };
}

describe('online-teacher modes in a real run (AURA-KD with a saved offline teacher)', () => {
  it('logitBank: epoch 1 has no bank entries (w_on = 0), epoch 2 mixes both teachers', async () => {
    const { result, steps } = await run('bank', 'logitBank');
    expect(result.status).toBe('done');
    expect(result.teacherDir).toBe(teacherDir);
    expect(result.epochs.every((m) => m.phase === 'student')).toBe(true);
    const [e1, e2] = result.epochs;
    expect(e1.wOff).toEqual({ mean: 1, std: 0 });
    expect(e1.loss.on).toBe(0);
    expect(e1.loss.off).toBeGreaterThan(0);
    expect(e2.wOff.mean).toBeLessThan(1);
    expect(e2.wOff.std).toBeGreaterThan(0);
    expect(e2.loss.on).toBeGreaterThan(0);
    expect(steps.filter((s) => s.epoch === 2).every((s) => s.wOff.mean < 1)).toBe(true);
  });

  it('naivePrevBatch: only the first step lacks online logits', async () => {
    const { result, steps } = await run('naive', 'naivePrevBatch');
    expect(result.status).toBe('done');
    expect(steps[0].wOff).toEqual({ mean: 1, std: 0 });
    expect(steps[0].loss.on).toBe(0);
    expect(steps.slice(1).every((s) => s.loss.on > 0 && s.wOff.mean < 1)).toBe(true);
  });

  it('lastBatch with augmentation: teacher logits per batch, a fresh view of the replayed chips', async () => {
    const calls: number[] = [];
    const augment = (x: Float32Array, n: number, _size: number, _channels: number, rng: Rng) => {
      calls.push(n);
      return x.map((v) => v + 0.05 * (rng() - 0.5));
    };
    const { result, steps } = await run('augment', 'lastBatch', { augment });
    expect(result.status).toBe('done');
    // 4 steps × 2 epochs of new chips + 7 replays (every step but the first).
    expect(calls.length).toBe(8 + 7);
    expect(steps[0].loss.off).toBe(0);
    expect(steps.slice(1).every((s) => s.loss.off > 0 && s.loss.on > 0)).toBe(true);
  });

  it('early stopping keeps the best epoch as the saved student, the epoch before it as online/', async () => {
    const { result } = await run('early', 'lastBatch', {
      config: tinyConfig({ method: 'aurakd', epochs: 6, earlyStoppingPatience: 1 }),
    });
    expect(result.status).toBe('done');
    expect(result.epochs.length).toBeLessThan(6);
    expect(result.bestEpoch).toBe(result.epochs.length - 1);
    const accs = result.epochs.map((m) => m.valAccuracy as number);
    expect(result.bestValAccuracy).toBe(Math.max(...accs));
    const meta = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'aura-model.json'), 'utf8'));
    expect(meta(result.studentDir).metrics.epoch).toBe(result.bestEpoch);
    expect(meta(result.onlineDir as string).metrics.epoch).toBe(result.bestEpoch - 1);
  });

  it('balanced sampling draws the minority class about as often as the majority', async () => {
    const imbalanced = { ...train, y: Int32Array.from(train.y, (_, i) => (i < 28 ? 0 : 1)) };
    const per = train.size * train.size;
    const chipOf = new Map<number, number>();
    for (let i = 0; i < train.n; i++) chipOf.set(train.x[i * per], i);
    const seenLabels = async (balancedSampling: boolean) => {
      const labels: number[] = [];
      // An identity augmentation that records which chips each batch holds.
      const augment = (x: Float32Array, n: number) => {
        for (let r = 0; r < n; r++) labels.push(imbalanced.y[chipOf.get(x[r * per]) as number]);
        return x;
      };
      const r = await trainRun({
        config: tinyConfig({ method: 'ce', epochs: 1, balancedSampling }),
        data: { train: imbalanced },
        outDir: path.join(root, `balanced-${balancedSampling}`),
        augment,
      });
      expect(r.status).toBe('done');
      return labels;
    };
    const plain = await seenLabels(false);
    expect(plain.length).toBe(32);
    expect(plain.filter((l) => l === 1).length).toBe(4);
    const balanced = await seenLabels(true);
    expect(balanced.length).toBe(32);
    const minority = balanced.filter((l) => l === 1).length;
    expect(minority).toBeGreaterThanOrEqual(10);
    expect(minority).toBeLessThanOrEqual(22);
  });

  it('rejects a teacher trained on other classes', async () => {
    const other = { ...train, classes: ['x', 'y'] };
    await expect(
      trainRun({ config: tinyConfig({ method: 'kd' }), data: { train: other }, outDir: path.join(root, 'mismatch'), teacherDir }),
    ).rejects.toThrow(/other classes/);
  });
});
