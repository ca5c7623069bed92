/** Small, exact fixtures for the store tests: a temp dir, an import report, configs, evaluations. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportReport, SampleRecord, Split } from '../../../main/data/types.js';
import { DEFAULT_TRAIN_CONFIG, type Method, type TrainConfig } from '../../../main/engine/config.js';
import type { ChipPrediction, EpochMetrics, EvaluationResult } from '../../../main/engine/types.js';

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-store-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const CLASSES = ['BMP2', 'T72', 'ZSU'];

/**
 * 12 chips: label = i % 3, split train for i < 6, val for 6..8, test for 9..11.
 * Sizes: BMP2 128×128, T72 158×158 except chip 4 (T72, 128×128), ZSU 193×192.
 */
export function sampleRecords(): SampleRecord[] {
  const splitOf = (i: number): Split => (i < 6 ? 'train' : i < 9 ? 'val' : 'test');
  return Array.from({ length: 12 }, (_, i) => {
    const label = i % 3;
    const className = CLASSES[label];
    const side = label === 0 ? 128 : label === 1 ? (i === 4 ? 128 : 158) : 193;
    return {
      key: `${className}/chip${String(i).padStart(2, '0')}.jpeg`,
      path: `/data/mstar/${className}/chip${String(i).padStart(2, '0')}.jpeg`,
      className,
      label,
      split: splitOf(i),
      width: side,
      height: label === 2 ? 192 : side,
      channels: 1,
      format: 'jpeg',
      ...(i === 0 ? { group: 'scene-1', geo: { lat: 35.5, lon: -106.25 } } : {}),
    };
  });
}

export function importReport(samples: SampleRecord[] = sampleRecords()): ImportReport {
  return {
    root: '/data/mstar',
    layout: 'class',
    classes: CLASSES,
    samples,
    skipped: [{ path: '/data/mstar/BMP2/broken.jpeg', reason: 'not a JPEG' }],
    contentHash: 'a'.repeat(64),
  };
}

export function trainConfig(method: Method = 'aurakd', patch: Partial<TrainConfig> = {}): TrainConfig {
  return { ...DEFAULT_TRAIN_CONFIG, method, ...patch };
}

export function epoch(phase: 'teacher' | 'student', n: number, valAccuracy: number | null = 0.5 + n / 100): EpochMetrics {
  return {
    phase,
    epoch: n,
    loss: { total: 2 - n / 10, ce: 1.5 - n / 10, off: 0.25, on: 0.125 },
    wOff: { mean: 0.75, std: 0.125 },
    trainAccuracy: 0.5 + n / 50,
    valAccuracy,
    valLoss: valAccuracy === null ? null : 1 - n / 20,
    chipsPerSec: 100 + n,
    seconds: 10 + n,
    learningRate: 0.001,
  };
}

/** A chip whose student probability vector is `student`; offline teacher given or absent. */
export function chip(key: string, label: number, student: number[], extra: Partial<ChipPrediction> = {}): ChipPrediction {
  const predicted = student.indexOf(Math.max(...student));
  return {
    key,
    label,
    predicted,
    correct: predicted === label,
    student,
    offline: null,
    online: null,
    entropyStudent: -student.reduce((s, p) => s + (p > 0 ? p * Math.log(p) : 0), 0) / Math.log(student.length),
    entropyOffline: null,
    entropyOnline: null,
    wOff: null,
    wOn: null,
    offlineCorrect: null,
    onlineCorrect: null,
    ...extra,
  };
}

export function evaluation(chips: ChipPrediction[], accuracy = 0.75): EvaluationResult {
  const confusion = CLASSES.map(() => CLASSES.map(() => 0));
  for (const c of chips) confusion[c.label][c.predicted]++;
  return {
    classes: CLASSES,
    n: chips.length,
    accuracy,
    balancedAccuracy: accuracy - 0.05,
    macroF1: accuracy - 0.1,
    perClass: CLASSES.map((className, i) => ({ className, precision: 0.5, recall: 0.5, f1: 0.5, support: i })),
    confusion,
    ece: 0.0625,
    reliability: [{ lower: 0, upper: 1, count: chips.length, meanConfidence: 0.7, accuracy }],
    chips,
  };
}

/** A clock that starts at 1,000,000 ms and advances 1,000 ms per call. */
export function steppingClock(start = 1_000_000, step = 1_000): () => number {
  let t = start - step;
  return () => (t += step);
}
