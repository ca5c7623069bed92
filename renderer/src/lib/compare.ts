/** Comparison helpers: which run is best per metric, and the accuracy-vs-τ points of a sweep. */
import type { RunDetail, RunSummary } from '../api/types.js';

export interface MetricSpec {
  key: 'valAccuracy' | 'testAccuracy' | 'balancedAccuracy' | 'macroF1' | 'ece' | 'durationSec';
  label: string;
  better: 'higher' | 'lower';
  kind: 'percent' | 'number' | 'duration';
}

export const COMPARE_METRICS: readonly MetricSpec[] = [
  { key: 'testAccuracy', label: 'Test accuracy', better: 'higher', kind: 'percent' },
  { key: 'valAccuracy', label: 'Best val. accuracy', better: 'higher', kind: 'percent' },
  { key: 'balancedAccuracy', label: 'Balanced accuracy', better: 'higher', kind: 'percent' },
  { key: 'macroF1', label: 'Macro F1', better: 'higher', kind: 'number' },
  { key: 'ece', label: 'ECE (calibration error)', better: 'lower', kind: 'percent' },
  { key: 'durationSec', label: 'Training time', better: 'lower', kind: 'duration' },
];

/** Indices of the best values (ties included); none when fewer than two runs have a value or all are equal. */
export function bestIndices(values: (number | null)[], better: 'higher' | 'lower'): number[] {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length < 2) return [];
  const best = better === 'higher' ? Math.max(...present) : Math.min(...present);
  const winners = values.flatMap((v, i) => (v !== null && Math.abs(v - best) <= 1e-12 ? [i] : []));
  return winners.length === present.length ? [] : winners;
}

/** A legend-sized run label: '#12 name', the name cut to `max` characters. */
export function shortRunLabel(run: { id: number; name: string }, max = 22): string {
  const name = run.name.length > max ? `${run.name.slice(0, max - 1)}…` : run.name;
  return `#${run.id} ${name}`;
}

export function metricValue(run: RunSummary, key: MetricSpec['key']): number | null {
  return run[key];
}

export interface TauPoint {
  tau: number;
  accuracy: number;
  runId: number;
  name: string;
  method: string;
}

/** Points (τ, accuracy) of runs that differ in τ; empty unless at least two τ values have an accuracy. */
export function tauSweepPoints(runs: RunDetail[]): TauPoint[] {
  const points: TauPoint[] = [];
  for (const run of runs) {
    const accuracy = run.testAccuracy ?? run.valAccuracy;
    const tau = run.config?.distill?.tau;
    if (accuracy === null || typeof tau !== 'number') continue;
    points.push({ tau, accuracy, runId: run.id, name: run.name, method: run.method });
  }
  const distinct = new Set(points.map((p) => p.tau));
  if (distinct.size < 2) return [];
  return points.sort((a, b) => a.tau - b.tau || a.runId - b.runId);
}
