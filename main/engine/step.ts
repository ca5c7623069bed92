/**
 * One optimizer step of the student (or of the offline teacher, with no distillation groups):
 * forward in training mode, `distillationLoss`, `tf.variableGrads`, Adam update — all inside one
 * `tf.tidy`. The logged scalars come back as one small tensor so the caller reads them with a single
 * `dataSync` per step. Reusable on its own: the benchmark times one AURA-KD step against one CE step.
 */
import * as tf from '@tensorflow/tfjs';
import type { DistillConfig } from './config.js';
import { DEFAULT_DISTILL } from './config.js';
import { distillationLoss, type DistillGroups } from './distiller.js';
import type { AdamOptimizer } from './optimizer.js';
import { createRng, randomNormal } from '../data/random.js';

export interface StepBatch {
  /** Every row the student sees this step [m, H, W, C] (lastBatch: previous chips first, then the new ones). */
  x: tf.Tensor4D;
  /** int32 label per row [m]. */
  labels: tf.Tensor1D;
  groups: DistillGroups;
  cfg: DistillConfig;
  /** Effective α of this step. */
  alpha: number;
  /** Rows [start, end) holding the step's new chips: their accuracy is reported and their logits returned. */
  newRows: [number, number];
}

export interface StepStats {
  total: number;
  ce: number;
  distill: number;
  off: number;
  on: number;
  /** Mean and population std of w_off over the distilled rows D (0/0 when D is empty). */
  wOffMean: number;
  wOffStd: number;
  /** Number of distilled rows. */
  distilled: number;
  /** Accuracy over the new rows. */
  accuracy: number;
}

export interface StepResult {
  /** Logged scalars as a tensor [total, ce, distill, off, on, wMean, wStd, |D|, correct] — read once, then dispose. */
  statsTensor: tf.Tensor1D;
  /** Detached student logits of the new rows [newRows span, C] (the online teacher's next input); caller owns it. */
  newLogits: tf.Tensor2D;
}

export type StudentStep = (batch: StepBatch) => StepResult;

/** Decode the stats tensor of a step (one `dataSync`). */
export function readStepStats(result: StepResult, newCount: number): StepStats {
  const s = result.statsTensor.dataSync();
  return {
    total: s[0],
    ce: s[1],
    distill: s[2],
    off: s[3],
    on: s[4],
    wOffMean: s[5],
    wOffStd: s[6],
    distilled: s[7],
    accuracy: newCount > 0 ? s[8] / newCount : 0,
  };
}

/** Build the step function of `model`, updating its trainable weights with `optimizer`. */
export function createStudentStep(model: tf.LayersModel, optimizer: AdamOptimizer): StudentStep {
  const vars = optimizer.variables;
  return (batch: StepBatch): StepResult => {
    const [start, end] = batch.newRows;
    if (start < 0 || end > batch.x.shape[0] || end <= start) {
      throw new Error(`step: newRows [${start}, ${end}) outside the ${batch.x.shape[0]} rows of the batch`);
    }
    return tf.tidy(() => {
      let captured: { logits: tf.Tensor2D; wOff: tf.Tensor1D; parts: tf.Scalar[] } | null = null;
      const { value, grads } = tf.variableGrads(() => {
        const logits = model.apply(batch.x, { training: true }) as tf.Tensor2D;
        const loss = distillationLoss({ logits, labels: batch.labels, groups: batch.groups, cfg: batch.cfg, alpha: batch.alpha });
        captured = {
          logits: tf.keep(logits),
          wOff: tf.keep(loss.wOff),
          parts: [loss.ce, loss.distill, loss.off, loss.on].map((t) => tf.keep(t)),
        };
        return loss.total;
      }, vars);
      optimizer.applyGradients(vars.map((v) => grads[v.name]));
      const c = captured as unknown as { logits: tf.Tensor2D; wOff: tf.Tensor1D; parts: tf.Scalar[] };
      const newLogits = tf.slice(c.logits, [start, 0], [end - start, -1]) as tf.Tensor2D;
      const labelsNew = tf.slice(batch.labels, [start], [end - start]);
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(newLogits, -1), tf.cast(labelsNew, 'int32')), 'float32'));
      const dCount = c.wOff.shape[0];
      const wMoments = dCount > 0 ? tf.moments(c.wOff) : { mean: tf.scalar(0), variance: tf.scalar(0) };
      const statsTensor = tf.stack([
        value,
        ...c.parts,
        wMoments.mean,
        tf.sqrt(wMoments.variance),
        tf.scalar(dCount),
        correct,
      ]) as tf.Tensor1D;
      const out = { statsTensor, newLogits: tf.clone(newLogits) };
      // The kept tensors were created inside the gradient scope; release them now that they are used.
      for (const t of [c.logits, c.wOff, ...c.parts]) t.dispose();
      return out;
    });
  };
}

export interface RandomStepOptions {
  method: 'ce' | 'kd' | 'selfkd' | 'aurakd';
  batchSize: number;
  inputSize: number;
  channels: number;
  numClasses: number;
  seed: number;
  cfg?: DistillConfig;
}

/**
 * A step batch of random data shaped like a real one for `method` (for benchmarks): aurakd and selfkd
 * use lastBatch replay (2× rows, the first half distilled), kd distils every row from cached teacher
 * logits, ce has no groups. Call `dispose()` when done.
 */
export function randomStepBatch(o: RandomStepOptions): { batch: StepBatch; dispose: () => void } {
  const rng = createRng(o.seed);
  const replay = o.method === 'aurakd' || o.method === 'selfkd';
  const rows = replay ? 2 * o.batchSize : o.batchSize;
  const pixels = new Float32Array(rows * o.inputSize * o.inputSize * o.channels).map(() => randomNormal(rng));
  const labels = Int32Array.from({ length: rows }, (_, i) => i % o.numClasses);
  const randomLogits = (n: number): tf.Tensor2D =>
    tf.tensor2d(new Float32Array(n * o.numClasses).map(() => 2 * randomNormal(rng)), [n, o.numClasses]);
  const cfg = o.cfg ?? DEFAULT_DISTILL;
  const x = tf.tensor4d(pixels, [rows, o.inputSize, o.inputSize, o.channels]);
  const y = tf.tensor1d(labels, 'int32');
  const distilled = tf.range(0, o.batchSize, 1, 'int32') as tf.Tensor1D;
  const groups: DistillGroups = {};
  const owned: tf.Tensor[] = [x, y, distilled];
  if (o.method === 'aurakd') {
    groups.both = { rows: distilled, offline: randomLogits(o.batchSize), online: randomLogits(o.batchSize) };
    owned.push(groups.both.offline, groups.both.online);
  } else if (o.method === 'kd') {
    groups.offlineOnly = { rows: distilled, offline: randomLogits(o.batchSize) };
    owned.push(groups.offlineOnly.offline);
  } else if (o.method === 'selfkd') {
    groups.onlineOnly = { rows: distilled, online: randomLogits(o.batchSize) };
    owned.push(groups.onlineOnly.online);
  }
  const alpha = o.method === 'ce' ? 0 : cfg.alpha;
  const batch: StepBatch = { x, labels: y, groups, cfg, alpha, newRows: [rows - o.batchSize, rows] };
  return { batch, dispose: () => owned.forEach((t) => t.dispose()) };
}
