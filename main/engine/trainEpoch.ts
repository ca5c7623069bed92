/**
 * One training epoch of either phase: seeded batch order, batch formation with the online teacher
 * (lastBatch replay in front of the new chips), the distillation groups, one `StudentStep` per batch
 * inside `tf.tidy`, one stats read per step, cancellation checked between batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { ChipTensorSet } from '../data/types.js';
import type { Rng } from '../data/random.js';
import type { DistillConfig } from './config.js';
import type { DistillGroups } from './distiller.js';
import type { OnlineTeacherState } from './onlineTeacher.js';
import type { StepStats, StudentStep } from './step.js';
import type { LossParts, TrainPhase, WeightStats } from './types.js';
import { chipBatch, createRng, epochOrder, epochSeed, splitBatches, type AugmentFn } from './batches.js';
import { readStepStats } from './step.js';

export interface EpochContext {
  phase: TrainPhase;
  /** 1-based epoch of this phase. */
  epoch: number;
  step: StudentStep;
  train: ChipTensorSet;
  batchSize: number;
  balanced: boolean;
  seed: number;
  /** Distillation config; α is the full value, ramped here over kdWarmupEpochs. 0 for the teacher phase. */
  cfg: DistillConfig;
  /** Frozen offline teacher (inference mode) and its per-chip logits when cached; null when unused. */
  offline: { model: tf.LayersModel; cache: tf.Tensor2D | null } | null;
  /** Online-teacher state; null when unused. */
  online: OnlineTeacherState | null;
  augment?: AugmentFn;
  signal?: AbortSignal;
  onStep?: (s: { batch: number; batches: number; stats: StepStats; chips: number; seconds: number }) => void;
}

export interface EpochTotals {
  cancelled: boolean;
  steps: number;
  loss: LossParts;
  wOff: WeightStats;
  trainAccuracy: number;
  /** Chips the student saw (lastBatch counts the replayed half too). */
  chipsSeen: number;
  seconds: number;
}

/** α of a step: a linear ramp from 0 at the first student step to α after `kdWarmupEpochs` epochs. */
export function effectiveAlpha(cfg: DistillConfig, epoch: number, batch: number, batches: number): number {
  if (cfg.kdWarmupEpochs <= 0) return cfg.alpha;
  const progress = (epoch - 1 + (batch - 1) / batches) / cfg.kdWarmupEpochs;
  return cfg.alpha * Math.min(1, progress);
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function concatArrays(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Build the step's input rows and distillation groups, run the step. Call inside tf.tidy. */
function runStep(ctx: EpochContext, newIdx: Int32Array, alpha: number, rng: Rng) {
  const { train, offline, online } = ctx;
  const plan = online ? online.prepare(newIdx) : null;
  const replay = plan?.replay ?? null;
  const newX = chipBatch(train, newIdx, ctx.augment, rng);
  const xData = replay ? concatArrays(chipBatch(train, replay, ctx.augment, rng), newX) : newX;
  const rowChip = replay ? Int32Array.from([...replay, ...newIdx]) : newIdx;
  const m = rowChip.length;
  const x = tf.tensor4d(xData, [m, train.size, train.size, train.channels]);
  const labels = tf.tensor1d(Int32Array.from(rowChip, (c) => train.y[c]), 'int32');
  const rowsTensor = (rows: number[]) => tf.tensor1d(rows, 'int32');

  const groups: DistillGroups = {};
  // Distilled rows are always a prefix of the step: the replayed chips (lastBatch) or every row.
  const dCount = replay ? replay.length : m;
  const offD = offline
    ? offline.cache
      ? (tf.gather(offline.cache, tf.tensor1d(rowChip.subarray(0, dCount), 'int32')) as tf.Tensor2D)
      : (offline.model.apply(replay ? tf.slice(x, 0, dCount) : x, { training: false }) as tf.Tensor2D)
    : null;
  const onlineRows = plan ? Array.from(plan.rows) : [];
  if (offD && plan?.logits && onlineRows.length > 0) {
    const r = rowsTensor(onlineRows);
    groups.both = { rows: r, offline: tf.gather(offD, r) as tf.Tensor2D, online: plan.logits };
  } else if (plan?.logits && onlineRows.length > 0) {
    groups.onlineOnly = { rows: rowsTensor(onlineRows), online: plan.logits };
  }
  if (offD) {
    const has = new Set(groups.both ? onlineRows : []);
    const rest = range(dCount).filter((r) => !has.has(r));
    if (rest.length > 0) {
      const r = rowsTensor(rest);
      groups.offlineOnly = { rows: r, offline: tf.gather(offD, r) as tf.Tensor2D };
    }
  }
  // lastBatch: the very first step has no previous batch and is CE only (no offline KD either).
  if (online?.mode === 'lastBatch' && !replay) {
    delete groups.offlineOnly;
  }
  return { result: ctx.step({ x, labels, groups, cfg: ctx.cfg, alpha, newRows: [m - newIdx.length, m] }), rows: m };
}

export async function trainEpoch(ctx: EpochContext): Promise<EpochTotals> {
  const started = Date.now();
  const rng = createRng(epochSeed(ctx.seed, ctx.phase, ctx.epoch));
  const order = epochOrder(ctx.train.y, ctx.train.classes.length, ctx.balanced, rng);
  const batches = splitBatches(order, ctx.batchSize);
  const sum = { total: 0, ce: 0, off: 0, on: 0, distilledSteps: 0, w: 0, w2: 0, d: 0, correct: 0, seen: 0, newChips: 0 };
  let steps = 0;
  let cancelled = false;
  for (let b = 0; b < batches.length; b++) {
    if (ctx.signal?.aborted) {
      cancelled = true;
      break;
    }
    const stepStart = Date.now();
    const newIdx = batches[b];
    const alpha = effectiveAlpha(ctx.cfg, ctx.epoch, b + 1, batches.length);
    let chips = 0;
    const result = tf.tidy(() => {
      const r = runStep(ctx, newIdx, alpha, rng);
      chips = r.rows;
      return { statsTensor: r.result.statsTensor, newLogits: r.result.newLogits };
    });
    const stats = readStepStats(result, newIdx.length);
    result.statsTensor.dispose();
    if (ctx.online) ctx.online.record(newIdx, result.newLogits);
    else result.newLogits.dispose();
    steps += 1;
    sum.total += stats.total;
    sum.ce += stats.ce;
    if (stats.distilled > 0) {
      sum.off += stats.off;
      sum.on += stats.on;
      sum.distilledSteps += 1;
      sum.w += stats.wOffMean * stats.distilled;
      sum.w2 += (stats.wOffStd ** 2 + stats.wOffMean ** 2) * stats.distilled;
      sum.d += stats.distilled;
    }
    sum.correct += stats.accuracy * newIdx.length;
    sum.newChips += newIdx.length;
    sum.seen += chips;
    ctx.onStep?.({ batch: b + 1, batches: batches.length, stats, chips, seconds: (Date.now() - stepStart) / 1000 });
    await yieldToEventLoop();
  }
  const wMean = sum.d > 0 ? sum.w / sum.d : 0;
  const per = (v: number, n: number) => (n > 0 ? v / n : 0);
  return {
    cancelled,
    steps,
    loss: { total: per(sum.total, steps), ce: per(sum.ce, steps), off: per(sum.off, sum.distilledSteps), on: per(sum.on, sum.distilledSteps) },
    wOff: { mean: wMean, std: sum.d > 0 ? Math.sqrt(Math.max(0, sum.w2 / sum.d - wMean * wMean)) : 0 },
    trainAccuracy: per(sum.correct, sum.newChips),
    chipsSeen: sum.seen,
    seconds: (Date.now() - started) / 1000,
  };
}
