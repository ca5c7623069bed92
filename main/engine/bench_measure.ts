/**
 * One benchmark measurement: a backbone at one input size on the current backend — CE training
 * steps, AURA-KD training steps (lastBatch replay: the previous batch is fed again, so 2 rows per new
 * chip) and inference, on random chips, using the engine's own step (`createStudentStep`) and Adam.
 */
import * as tf from '@tensorflow/tfjs';
import type { Backbone } from './config.js';
import { createModel } from './models/index.js';
import { createOptimizer } from './optimizer.js';
import { createStudentStep, randomStepBatch } from './step.js';

export interface MeasureOptions {
  backbone: Backbone;
  inputSize: number;
  batch: number;
  /** Timed repetitions of each phase. */
  steps: number;
  /** Untimed repetitions before timing (operator creation, JIT). */
  warmup: number;
  /** Also time the AURA-KD step. */
  auraKd: boolean;
  numClasses?: number;
  seed?: number;
}

export interface PhaseTiming {
  /** Median wall time of one repetition (ms). */
  medianMs: number;
  /** Fastest repetition (ms). */
  minMs: number;
  /** New chips per second at the median (batch / median). */
  chipsPerSec: number;
}

export interface Measurement {
  /** One optimizer step of plain cross-entropy. */
  train: PhaseTiming;
  /** One AURA-KD optimizer step (2·batch rows: replay + new chips); null when not measured. */
  auraKd: PhaseTiming | null;
  /** AURA-KD step time / CE step time, both medians of this run; null when not measured. */
  auraKdToCeRatio: number | null;
  /** Forward pass (inference mode) of `batch` chips. */
  inference: PhaseTiming;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timePhase(run: () => void, o: MeasureOptions): PhaseTiming {
  for (let i = 0; i < o.warmup; i++) run();
  const ms: number[] = [];
  for (let i = 0; i < o.steps; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  const med = median(ms);
  return { medianMs: round(med), minMs: round(Math.min(...ms)), chipsPerSec: round((o.batch * 1000) / med) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function timeTraining(o: MeasureOptions, method: 'ce' | 'aurakd'): PhaseTiming {
  const numClasses = o.numClasses ?? 10;
  const seed = o.seed ?? 1;
  const model = createModel(o.backbone, { inputSize: o.inputSize, channels: 1, numClasses, seed });
  const optimizer = createOptimizer(model, { learningRate: 1e-3, weightDecay: 1e-4, decoupled: false });
  const step = createStudentStep(model, optimizer);
  const { batch, dispose } = randomStepBatch({ method, batchSize: o.batch, inputSize: o.inputSize, channels: 1, numClasses, seed: seed + 1 });
  try {
    return timePhase(() => {
      const r = step(batch);
      r.statsTensor.dataSync(); // the trainer reads the logged scalars once per step too
      r.statsTensor.dispose();
      r.newLogits.dispose();
    }, o);
  } finally {
    dispose();
    optimizer.dispose();
    model.dispose();
  }
}

function timeInference(o: MeasureOptions): PhaseTiming {
  const model = createModel(o.backbone, { inputSize: o.inputSize, channels: 1, numClasses: o.numClasses ?? 10, seed: o.seed ?? 1 });
  const x = tf.randomNormal([o.batch, o.inputSize, o.inputSize, 1], 0, 1, 'float32', (o.seed ?? 1) + 2);
  try {
    return timePhase(() => tf.tidy(() => void (model.predict(x) as tf.Tensor).dataSync()), o);
  } finally {
    x.dispose();
    model.dispose();
  }
}

/** Measure one backbone/size on the current backend. Leaves no tensors behind. */
export function measure(o: MeasureOptions): Measurement {
  const train = timeTraining(o, 'ce');
  const auraKd = o.auraKd ? timeTraining(o, 'aurakd') : null;
  return {
    train,
    auraKd,
    auraKdToCeRatio: auraKd ? round(auraKd.medianMs / train.medianMs) : null,
    inference: timeInference(o),
  };
}
