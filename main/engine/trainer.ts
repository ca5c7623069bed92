/**
 * A whole training run: offline teacher (CE, then frozen and saved to <outDir>/teacher) when the
 * method needs one, then the student with the method's distillation config. A checkpoint after every
 * epoch makes `resume` continue exactly where a cancelled or crashed run stopped.
 *
 * Output directory:
 *   teacher/     the frozen offline teacher (tfjs layers format + aura-model.json), when trained here
 *   student/     the student of the best validation epoch (last epoch without validation)
 *   online/      the student one epoch before that (epoch 0 = initial weights): the online teacher used
 *                by evaluation; written only when the method uses an online teacher
 *   checkpoint/  last completed epoch (removed when the run finishes)
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet } from '../data/types.js';
import { completeTrainConfig, methodDistill, methodNeeds, type BackendName, type DistillConfig, type TrainConfig } from './config.js';
import type { EpochMetrics, TrainProgress, TrainResult } from './types.js';
import { batchesPerEpoch, validateChipSet, type AugmentFn } from './batches.js';
import { getArrays, loadCheckpoint, putArrays, removeCheckpoint, saveCheckpoint, type CheckpointState } from './checkpoint.js';
import { assertInputShape, predictLogits } from './inference.js';
import { registerFastCpuKernels } from './cpuKernels.js';
import { createModel } from './models/index.js';
import { loadModel, saveModel, type ModelMetaInput } from './modelStore.js';
import { createOnlineTeacher, type OnlineTeacherState } from './onlineTeacher.js';
import { createOptimizer, type AdamOptimizer } from './optimizer.js';
import { EtaClock } from './etaClock.js';
import { createStudentStep } from './step.js';
import { trainEpoch, type EpochContext, type EpochTotals } from './trainEpoch.js';
import { learningRateAt } from './schedule.js';
import { assertTrainingFits } from './wasm/memory.js';
import { recalibrateBatchNorm } from './bnRecalibrate.js';

export interface TrainRunOptions {
  config: TrainConfig;
  data: { train: ChipTensorSet; val?: ChipTensorSet };
  outDir: string;
  onProgress?: (e: TrainProgress) => void;
  signal?: AbortSignal;
  /** A saved offline teacher to use instead of training one. */
  teacherDir?: string;
  /** Continue from <outDir>/checkpoint (starts fresh when there is none). */
  resume?: boolean;
  /** Augmentation; when given, teacher logits are computed per batch instead of cached, and lastBatch replays a fresh view. */
  augment?: AugmentFn;
}

/** The active tfjs backend as the engine reports it. */
export function currentBackendName(): BackendName {
  const name = tf.getBackend();
  if (name === 'tensorflow' || name === 'wasm' || name === 'cpu') return name;
  throw new Error(`unsupported TensorFlow.js backend '${name}' (expected tensorflow, wasm or cpu)`);
}

/** Which teachers a config actually uses (a method that needs one and α > 0 and a weighting that reads it). */
export function teachersUsed(config: TrainConfig): { distill: DistillConfig; offline: boolean; online: boolean } {
  const distill = methodDistill(config.method, config.distill);
  const needs = methodNeeds(config.method);
  const active = distill.alpha > 0;
  return {
    distill,
    offline: needs.offline && active && distill.weighting !== 'onlineOnly',
    online: needs.online && active && distill.weighting !== 'offlineOnly',
  };
}

function validateRun(opts: TrainRunOptions): void {
  const { config } = opts;
  const { train, val } = opts.data;
  validateChipSet(train, 'train');
  if (train.n < 2) throw new Error(`train set: needs at least 2 chips, got ${train.n}`);
  if (val) {
    validateChipSet(val, 'val');
    if (val.size !== train.size || val.channels !== train.channels || val.classes.join('\u0000') !== train.classes.join('\u0000')) {
      throw new Error('val set: size, channels or classes differ from the train set');
    }
  }
  const positiveInt = (v: number, name: string, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new Error(`config.${name} must be an integer ≥ ${min}, got ${v}`);
  };
  positiveInt(config.epochs, 'epochs', 1);
  positiveInt(config.teacherEpochs, 'teacherEpochs', 1);
  positiveInt(config.batchSize, 'batchSize', 2);
  positiveInt(config.earlyStoppingPatience, 'earlyStoppingPatience', 0);
  positiveInt(config.distill.kdWarmupEpochs, 'distill.kdWarmupEpochs', 0);
}

const snapshot = (model: tf.LayersModel): Float32Array[] => model.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array));

function restoreWeights(model: tf.LayersModel, arrays: Float32Array[]): void {
  const current = model.getWeights();
  if (arrays.length !== current.length) throw new Error(`checkpoint has ${arrays.length} weight arrays, model has ${current.length}`);
  const tensors = arrays.map((a, i) => tf.tensor(a, current[i].shape, 'float32'));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

/** Accuracy and mean CE of `model` on `set` (inference mode; one read). */
function validate(model: tf.LayersModel, set: ChipTensorSet, batchSize: number): { accuracy: number; loss: number } {
  const [acc, loss] = tf.tidy(() => {
    const logits = predictLogits(model, set, batchSize);
    const labels = tf.tensor1d(set.y, 'int32');
    const correct = tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), labels), 'float32'));
    const ce = tf.mean(tf.neg(tf.sum(tf.mul(tf.oneHot(labels, logits.shape[1]), tf.logSoftmax(logits)), -1)));
    return [correct, ce];
  });
  const out = { accuracy: acc.dataSync()[0], loss: loss.dataSync()[0] };
  acc.dispose();
  loss.dispose();
  return out;
}

interface PhaseRunner {
  phase: 'teacher' | 'student';
  epochs: number;
  model: tf.LayersModel;
  optimizer: AdamOptimizer;
  cfg: DistillConfig;
  offline: EpochContext['offline'];
  online: OnlineTeacherState | null;
}

export async function trainRun(opts: TrainRunOptions): Promise<TrainResult> {
  const started = Date.now();
  validateRun(opts);
  const backend = currentBackendName();
  if (backend === 'cpu') registerFastCpuKernels();
  const { config, outDir } = opts;
  const { train, val } = opts.data;
  const used = teachersUsed(config);
  const modelOpts = { inputSize: train.size, channels: train.channels, numClasses: train.classes.length };
  const ckpt = opts.resume ? await loadCheckpoint(outDir) : null;
  if (!opts.resume) await removeCheckpoint(outDir);
  // Compared complete: a checkpoint written before an option existed holds that option at its default.
  if (ckpt && JSON.stringify(completeTrainConfig(ckpt.state.config)) !== JSON.stringify(completeTrainConfig(config))) {
    throw new Error(`checkpoint in ${outDir} was written for a different config; cannot resume`);
  }
  const metrics: EpochMetrics[] = ckpt ? [...ckpt.state.metrics] : [];
  const priorSec = ckpt?.state.elapsedSec ?? 0;
  const elapsed = () => priorSec + (Date.now() - started) / 1000;
  const steps = batchesPerEpoch(train.n, config.batchSize);
  const trainTeacherHere = used.offline && !opts.teacherDir;
  if (backend === 'wasm') {
    if (trainTeacherHere) assertTrainingFits('The offline teacher', config.teacher, train.size, config.batchSize);
    const replay = used.online && used.distill.onlineTeacher === 'lastBatch' ? 2 : 1;
    assertTrainingFits('The student', config.student, train.size, config.batchSize, replay);
  }
  const eta = new EtaClock({ teacher: trainTeacherHere ? config.teacherEpochs * steps : 0, student: config.epochs * steps });
  const meta = (method: ModelMetaInput['method'], backbone: ModelMetaInput['backbone']): ModelMetaInput => ({
    backbone,
    classes: train.classes,
    preprocess: config.preprocess,
    inputSize: train.size,
    channels: train.channels,
    method,
  });
  // A cancelled run reports where the student would go; only a 'done' run has written it.
  const result = (status: TrainResult['status'], extra: Partial<TrainResult>): TrainResult => ({
    config,
    backend,
    status,
    studentDir: path.join(outDir, 'student'),
    teacherDir: null,
    onlineDir: null,
    epochs: metrics,
    bestEpoch: 0,
    bestValAccuracy: null,
    seconds: elapsed(),
    ...extra,
  });
  const owned: Array<{ dispose(): void }> = [];

  /** Run the epochs of one phase from `first`; returns false when cancelled. */
  const runPhase = async (r: PhaseRunner, first: number, afterEpoch: (e: number, m: EpochMetrics) => Promise<boolean>): Promise<boolean> => {
    const step = createStudentStep(r.model, r.optimizer);
    for (let epoch = first; epoch <= r.epochs; epoch++) {
      if (opts.signal?.aborted) return false;
      r.optimizer.learningRate = learningRateAt(config.lrSchedule, config.learningRate, epoch, r.epochs);
      const totals: EpochTotals = await trainEpoch({
        phase: r.phase,
        epoch,
        step,
        train,
        batchSize: config.batchSize,
        balanced: config.balancedSampling,
        seed: config.seed,
        cfg: r.cfg,
        offline: r.offline,
        online: r.online,
        augment: opts.augment,
        signal: opts.signal,
        onStep: (s) => {
          eta.record(r.phase, s.seconds);
          opts.onProgress?.({
            kind: 'batch',
            phase: r.phase,
            epoch,
            epochs: r.epochs,
            batch: s.batch,
            batches: s.batches,
            loss: { total: s.stats.total, ce: s.stats.ce, off: s.stats.off, on: s.stats.on },
            wOff: { mean: s.stats.wOffMean, std: s.stats.wOffStd },
            accuracy: s.stats.accuracy,
            chipsPerSec: s.seconds > 0 ? s.chips / s.seconds : 0,
            etaSec: eta.etaSec(),
          });
        },
      });
      if (totals.cancelled) return false;
      recalibrateBatchNorm(r.model, train, { batchSize: config.batchSize });
      const v = val ? validate(r.model, val, config.batchSize) : null;
      const m: EpochMetrics = {
        phase: r.phase,
        epoch,
        loss: totals.loss,
        wOff: totals.wOff,
        trainAccuracy: totals.trainAccuracy,
        valAccuracy: v ? v.accuracy : null,
        valLoss: v ? v.loss : null,
        chipsPerSec: totals.seconds > 0 ? totals.chipsSeen / totals.seconds : 0,
        seconds: totals.seconds,
        learningRate: r.optimizer.learningRate,
      };
      metrics.push(m);
      const stop = await afterEpoch(epoch, m);
      if (stop) eta.finish(r.phase);
      opts.onProgress?.({ kind: 'epoch', ...m, epochs: r.epochs, etaSec: eta.etaSec() });
      if (stop) break;
    }
    return true;
  };

  const baseState = (phase: CheckpointState['phase'], epoch: number, optimizer: AdamOptimizer): CheckpointState => ({
    format: 'aura-kd-checkpoint',
    version: 1,
    config,
    phase,
    epoch,
    metrics,
    bestEpoch: 0,
    bestValAccuracy: null,
    epochsSinceBest: 0,
    optimizerStep: optimizer.step,
    online: null,
    rng: { seed: config.seed, nextEpoch: epoch + 1 },
    elapsedSec: elapsed(),
  });
  const optimizerArrays = (map: Map<string, Float32Array>, optimizer: AdamOptimizer) => {
    const s = optimizer.getState();
    putArrays(map, 'optimizer/m', s.m);
    putArrays(map, 'optimizer/v', s.v);
  };
  const restoreOptimizer = (optimizer: AdamOptimizer, arrays: Map<string, Float32Array>, step: number) => {
    const m = getArrays(arrays, 'optimizer/m');
    const v = getArrays(arrays, 'optimizer/v');
    if (!m || !v) throw new Error('checkpoint is missing the optimizer state');
    optimizer.setState({ step, m, v });
  };

  try {
    // ---- Phase 1: the offline teacher ----
    let teacherModel: tf.LayersModel | null = null;
    let teacherDir: string | null = null;
    if (used.offline && opts.teacherDir) {
      const loaded = await loadModel(opts.teacherDir);
      teacherModel = loaded.model;
      owned.push(teacherModel);
      assertInputShape(teacherModel, train.size, train.channels);
      if (loaded.meta.classes.join('\u0000') !== train.classes.join('\u0000')) throw new Error(`teacher in ${opts.teacherDir} was trained on other classes`);
      teacherDir = opts.teacherDir;
    } else if (used.offline) {
      teacherDir = path.join(outDir, 'teacher');
      if (ckpt?.state.phase === 'student') {
        teacherModel = (await loadModel(teacherDir)).model;
        owned.push(teacherModel);
        eta.skip('teacher', config.teacherEpochs * steps);
      } else {
        const teacher = createModel(config.teacher, { ...modelOpts, seed: (config.seed + 0x7eac) >>> 0 });
        owned.push(teacher);
        const optimizer = createOptimizer(teacher, { learningRate: config.learningRate, weightDecay: config.weightDecay, decoupled: config.decoupledWeightDecay });
        owned.push(optimizer);
        let first = 1;
        if (ckpt) {
          restoreWeights(teacher, getArrays(ckpt.arrays, 'weights') ?? []);
          restoreOptimizer(optimizer, ckpt.arrays, ckpt.state.optimizerStep);
          first = ckpt.state.epoch + 1;
          eta.skip('teacher', ckpt.state.epoch * steps);
        }
        const runner: PhaseRunner = { phase: 'teacher', epochs: config.teacherEpochs, model: teacher, optimizer, cfg: { ...used.distill, alpha: 0 }, offline: null, online: null };
        const finished = await runPhase(runner, first, async (epoch) => {
          const arrays = new Map<string, Float32Array>();
          putArrays(arrays, 'weights', snapshot(teacher));
          optimizerArrays(arrays, optimizer);
          await saveCheckpoint(outDir, baseState('teacher', epoch, optimizer), arrays);
          return false;
        });
        if (!finished) return result('cancelled', {});
        const last = metrics.filter((m) => m.phase === 'teacher').at(-1);
        await saveModel(teacher, teacherDir, { ...meta('ce', config.teacher), metrics: { valAccuracy: last?.valAccuracy ?? null } });
        teacherModel = teacher;
      }
    }

    // ---- Phase 2: the student ----
    const student = createModel(config.student, { ...modelOpts, seed: config.seed });
    owned.push(student);
    const optimizer = createOptimizer(student, { learningRate: config.learningRate, weightDecay: config.weightDecay, decoupled: config.decoupledWeightDecay });
    owned.push(optimizer);
    const online = used.online ? createOnlineTeacher(used.distill.onlineTeacher, train.n, train.classes.length) : null;
    if (online) owned.push(online);
    const cache = teacherModel && !opts.augment ? predictLogits(teacherModel, train, Math.max(config.batchSize, 64)) : null;
    if (cache) owned.push(cache);
    let best = { epoch: 0, valAccuracy: null as number | null, sinceBest: 0 };
    let prevWeights = snapshot(student);
    let bestWeights = prevWeights;
    let bestPrevWeights = prevWeights;
    let first = 1;
    if (ckpt?.state.phase === 'student') {
      const weights = getArrays(ckpt.arrays, 'weights') ?? [];
      restoreWeights(student, weights);
      restoreOptimizer(optimizer, ckpt.arrays, ckpt.state.optimizerStep);
      if (online && ckpt.state.online) online.restore({ ...ckpt.state.online, logits: ckpt.arrays.get('online/logits') ?? null });
      prevWeights = weights;
      bestWeights = getArrays(ckpt.arrays, 'best') ?? weights;
      bestPrevWeights = getArrays(ckpt.arrays, 'bestPrev') ?? bestWeights;
      best = { epoch: ckpt.state.bestEpoch, valAccuracy: ckpt.state.bestValAccuracy, sinceBest: ckpt.state.epochsSinceBest };
      first = ckpt.state.epoch + 1;
      eta.skip('student', ckpt.state.epoch * steps);
    }
    const runner: PhaseRunner = {
      phase: 'student',
      epochs: config.epochs,
      model: student,
      optimizer,
      cfg: used.distill,
      offline: teacherModel ? { model: teacherModel, cache } : null,
      online,
    };
    const finished = await runPhase(runner, first, async (epoch, m) => {
      const current = snapshot(student);
      const improved = m.valAccuracy === null || best.epoch === 0 || m.valAccuracy > (best.valAccuracy ?? -1);
      if (improved) {
        best = { epoch, valAccuracy: m.valAccuracy, sinceBest: 0 };
        bestWeights = current;
        bestPrevWeights = prevWeights;
      } else {
        best.sinceBest += 1;
      }
      prevWeights = current;
      const arrays = new Map<string, Float32Array>();
      putArrays(arrays, 'weights', current);
      optimizerArrays(arrays, optimizer);
      if (bestWeights !== current) putArrays(arrays, 'best', bestWeights);
      if (online) putArrays(arrays, 'bestPrev', bestPrevWeights);
      let onlineState: CheckpointState['online'] = null;
      if (online) {
        const { logits, ...rest } = online.snapshot();
        onlineState = rest;
        if (logits) arrays.set('online/logits', logits);
      }
      await saveCheckpoint(
        outDir,
        { ...baseState('student', epoch, optimizer), bestEpoch: best.epoch, bestValAccuracy: best.valAccuracy, epochsSinceBest: best.sinceBest, online: onlineState },
        arrays,
      );
      return config.earlyStoppingPatience > 0 && best.sinceBest >= config.earlyStoppingPatience;
    });
    if (!finished) return result('cancelled', { teacherDir, bestEpoch: best.epoch, bestValAccuracy: best.valAccuracy });

    const studentDir = path.join(outDir, 'student');
    let onlineDir: string | null = null;
    if (online) {
      onlineDir = path.join(outDir, 'online');
      restoreWeights(student, bestPrevWeights);
      await saveModel(student, onlineDir, { ...meta(config.method, config.student), metrics: { epoch: best.epoch - 1 } });
    }
    restoreWeights(student, bestWeights);
    await saveModel(student, studentDir, { ...meta(config.method, config.student), metrics: { epoch: best.epoch, valAccuracy: best.valAccuracy } });
    await removeCheckpoint(outDir);
    return result('done', { studentDir, teacherDir, onlineDir, bestEpoch: best.epoch, bestValAccuracy: best.valAccuracy });
  } finally {
    for (const o of owned.reverse()) o.dispose();
  }
}
