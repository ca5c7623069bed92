/** Accumulates TrainProgress events (batch and epoch) into bounded series for the live charts. */
import type { EpochMetrics, TrainProgress } from '../api/types.js';

export type Phase = 'teacher' | 'student';

export interface LivePoint {
  phase: Phase;
  /** Epochs completed as a fraction: epoch − 1 + batch / batches. */
  x: number;
  ce: number;
  off: number;
  on: number;
  total: number;
  accuracy: number;
  wOffMean: number;
  wOffStd: number;
}

export interface LiveSeries {
  batches: LivePoint[];
  epochs: EpochMetrics[];
  lastBatchKey: string;
  /** Kept ≤ maxPoints per series by dropping every other old point. */
  maxPoints: number;
}

export function emptySeries(maxPoints = 1200): LiveSeries {
  return { batches: [], epochs: [], lastBatchKey: '', maxPoints };
}

/** Drop every other point of the first half-plus so the series fits `max` again; the newest points stay. */
export function decimate<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  const keepTail = Math.floor(max / 2);
  const head = points.length - keepTail;
  for (let i = 0; i < head; i += 2) out.push(points[i]);
  for (let i = head; i < points.length; i++) out.push(points[i]);
  return out.length <= max ? out : decimate(out, max);
}

/** Add one progress event (repeats of the last batch are ignored; an epoch replaces its earlier record). */
export function addProgress(series: LiveSeries, progress: TrainProgress): LiveSeries {
  if (progress.kind === 'batch') {
    const key = `${progress.phase}:${progress.epoch}:${progress.batch}`;
    if (key === series.lastBatchKey) return series;
    const point: LivePoint = {
      phase: progress.phase,
      x: progress.epoch - 1 + progress.batch / Math.max(1, progress.batches),
      ce: progress.loss.ce,
      off: progress.loss.off,
      on: progress.loss.on,
      total: progress.loss.total,
      accuracy: progress.accuracy,
      wOffMean: progress.wOff.mean,
      wOffStd: progress.wOff.std,
    };
    return { ...series, lastBatchKey: key, batches: decimate([...series.batches, point], series.maxPoints) };
  }
  const { kind: _kind, epochs: _epochs, etaSec: _eta, ...metrics } = progress;
  return { ...series, epochs: mergeEpochs(series.epochs, [metrics]) };
}

/** Epoch records merged by (phase, epoch), sorted teacher first then by epoch. */
export function mergeEpochs(existing: EpochMetrics[], incoming: EpochMetrics[]): EpochMetrics[] {
  const byKey = new Map<string, EpochMetrics>();
  for (const e of [...existing, ...incoming]) byKey.set(`${e.phase}:${e.epoch}`, e);
  const order = (p: Phase) => (p === 'teacher' ? 0 : 1);
  return [...byKey.values()].sort((a, b) => order(a.phase) - order(b.phase) || a.epoch - b.epoch);
}

export function phasesIn(series: LiveSeries): Phase[] {
  const set = new Set<Phase>([...series.batches.map((p) => p.phase), ...series.epochs.map((e) => e.phase)]);
  return (['teacher', 'student'] as Phase[]).filter((p) => set.has(p));
}
