/**
 * Evaluation of a trained student on a chip set, with what the inspector shows per chip: the student's,
 * the offline teacher's and the online teacher's probabilities (τ = 1) and normalised entropies, the
 * AURA-KD weights the uncertainty module gives the chip, and who was right.
 *
 * The online teacher at evaluation time is the student as of the previous epoch (the trainer saves it
 * as <run>/online/): during training it is the student one step (lastBatch) or one epoch (logitBank)
 * earlier, which no longer exists once training ends; the previous epoch's student is its closest stand-in.
 * w_off/w_on come from `auraWeights` over each evaluated batch of chips (z-scores and batch means over
 * that batch), with the run's distillation config; they are null unless both teachers are given.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet } from '../data/types.js';
import { onlineTau, type DistillConfig } from './config.js';
import type { ChipPrediction, EvaluationResult } from './types.js';
import { auraWeights, crossEntropyPerSample, klPerSample, normalisedEntropy } from './losses.js';
import { assertInputShape, logitsForRange } from './inference.js';
import { argMax, summarise } from './metrics.js';
import { loadModel } from './modelStore.js';

export interface EvaluateOptions {
  student: tf.LayersModel;
  teacher?: tf.LayersModel | null;
  online?: tf.LayersModel | null;
  set: ChipTensorSet;
  distill: DistillConfig;
  batchSize?: number;
}

interface BatchColumns {
  student: Float32Array;
  offline: Float32Array | null;
  online: Float32Array | null;
  hStudent: Float32Array;
  hOffline: Float32Array | null;
  hOnline: Float32Array | null;
  wOff: Float32Array | null;
}

function evaluateBatch(o: EvaluateOptions, start: number, end: number): BatchColumns {
  const read = (t: tf.Tensor | null) => (t ? (t.dataSync() as Float32Array).slice() : null);
  let out: BatchColumns | null = null;
  tf.tidy(() => {
    const zS = logitsForRange(o.student, o.set, start, end);
    const zT = o.teacher ? logitsForRange(o.teacher, o.set, start, end) : null;
    const zP = o.online ? logitsForRange(o.online, o.set, start, end) : null;
    let wOff: tf.Tensor1D | null = null;
    if (zT && zP) {
      const labels = tf.tensor1d(o.set.y.subarray(start, end), 'int32');
      wOff = auraWeights(
        {
          lOff: klPerSample(zT, zS, o.distill.tau),
          lOn: klPerSample(zP, zS, onlineTau(o.distill)),
          hT: normalisedEntropy(zT),
          hPrev: normalisedEntropy(zP),
          ceT: crossEntropyPerSample(zT, labels),
          cePrev: crossEntropyPerSample(zP, labels),
        },
        o.distill,
      ).wOff;
    }
    out = {
      student: read(tf.softmax(zS)) as Float32Array,
      offline: read(zT && tf.softmax(zT)),
      online: read(zP && tf.softmax(zP)),
      hStudent: read(normalisedEntropy(zS)) as Float32Array,
      hOffline: read(zT && normalisedEntropy(zT)),
      hOnline: read(zP && normalisedEntropy(zP)),
      wOff: read(wOff),
    };
  });
  return out as unknown as BatchColumns;
}

export async function evaluateModel(o: EvaluateOptions): Promise<EvaluationResult> {
  const { set } = o;
  const batchSize = o.batchSize ?? 64;
  if (!(batchSize >= 1)) throw new Error(`evaluateModel: batchSize must be ≥ 1, got ${batchSize}`);
  const c = set.classes.length;
  for (const m of [o.student, o.teacher, o.online]) {
    if (!m) continue;
    assertInputShape(m, set.size, set.channels);
    if (m.outputs[0].shape[1] !== c) throw new Error(`evaluateModel: a model predicts ${m.outputs[0].shape[1]} classes, the set has ${c}`);
  }
  const chips: ChipPrediction[] = [];
  const predicted: number[] = [];
  const confidence: number[] = [];
  for (let start = 0; start < set.n; start += batchSize) {
    const end = Math.min(set.n, start + batchSize);
    const cols = evaluateBatch(o, start, end);
    for (let r = 0; r < end - start; r++) {
      const i = start + r;
      const row = (a: Float32Array | null) => (a ? Array.from(a.subarray(r * c, (r + 1) * c)) : null);
      const student = row(cols.student) as number[];
      const offline = row(cols.offline);
      const online = row(cols.online);
      const label = set.y[i];
      const p = argMax(student);
      predicted.push(p);
      confidence.push(student[p]);
      const wOff = cols.wOff ? cols.wOff[r] : null;
      chips.push({
        key: set.keys[i],
        label,
        predicted: p,
        correct: p === label,
        student,
        offline,
        online,
        entropyStudent: cols.hStudent[r],
        entropyOffline: cols.hOffline ? cols.hOffline[r] : null,
        entropyOnline: cols.hOnline ? cols.hOnline[r] : null,
        wOff,
        wOn: wOff === null ? null : 1 - wOff,
        offlineCorrect: offline ? argMax(offline) === label : null,
        onlineCorrect: online ? argMax(online) === label : null,
      });
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return { classes: set.classes, n: set.n, ...summarise(set.y, predicted, confidence, set.classes), chips };
}

/** Load a finished run's models from disk, evaluate, and release them. */
export async function evaluateSavedRun(o: {
  studentDir: string;
  teacherDir?: string | null;
  onlineDir?: string | null;
  set: ChipTensorSet;
  distill: DistillConfig;
  batchSize?: number;
}): Promise<EvaluationResult> {
  const models: tf.LayersModel[] = [];
  try {
    const student = (await loadModel(o.studentDir)).model;
    models.push(student);
    const teacher = o.teacherDir ? (await loadModel(o.teacherDir)).model : null;
    if (teacher) models.push(teacher);
    const online = o.onlineDir ? (await loadModel(o.onlineDir)).model : null;
    if (online) models.push(online);
    return await evaluateModel({ student, teacher, online, set: o.set, distill: o.distill, batchSize: o.batchSize });
  } finally {
    models.forEach((m) => m.dispose());
  }
}
