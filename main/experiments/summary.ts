/**
 * An experiment's result table: per method (and per τ of the sweep) the mean ± sample standard
 * deviation over seeds of test accuracy, balanced accuracy and macro-F1 — the shape of the paper's
 * Tables 1–2 and its τ figure. Only finished runs with a test evaluation count; the rest are
 * reported as pending or failed, never averaged in.
 */
import { accuracy, argMax, balancedAccuracy, confusionMatrix, macroF1 } from '../engine/metrics.js';

export interface SeedResult {
  runId: number;
  role: 'teacher' | 'method' | 'tau';
  method: string;
  seed: number;
  tau: number;
  status: string;
  /** Test-split figures; null until the run is evaluated. */
  accuracy: number | null;
  balancedAccuracy: number | null;
  macroF1: number | null;
  valAccuracy: number | null;
  durationSec: number | null;
}

export interface MeanStd {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single seed. */
  std: number;
}

export interface ResultRow {
  /** Method name ('teacher' for the offline-teacher row). */
  method: string;
  tau: number | null;
  /** Runs with a test evaluation / runs planned for the row. */
  n: number;
  planned: number;
  failed: number;
  accuracy: MeanStd | null;
  balancedAccuracy: MeanStd | null;
  macroF1: MeanStd | null;
  valAccuracy: MeanStd | null;
  meanDurationSec: number | null;
}

export interface ExperimentTables {
  methods: ResultRow[];
  teacher: ResultRow | null;
  tau: ResultRow[];
  /** Whether AURA-KD ≥ KD ≥ CE and Self-KD ≥ CE hold in mean test accuracy (null while a mean is missing). */
  ordering: Record<OrderingKey, boolean | null>;
}

/** The paper's ordering, one claim "a ≥ b in mean test accuracy" per entry, in reading order. */
export const ORDERING_PAIRS = [
  { key: 'auraKdGeKd', a: 'aurakd', b: 'kd' },
  { key: 'kdGeCe', a: 'kd', b: 'ce' },
  { key: 'selfKdGeCe', a: 'selfkd', b: 'ce' },
] as const;

export type OrderingKey = (typeof ORDERING_PAIRS)[number]['key'];

export function meanStd(values: readonly number[]): MeanStd | null {
  if (values.length === 0) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, std: 0 };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

function row(method: string, tau: number | null, results: readonly SeedResult[]): ResultRow {
  const evaluated = results.filter((r) => r.status === 'done' && r.accuracy !== null);
  const pick = (f: (r: SeedResult) => number | null) => meanStd(evaluated.map(f).filter((v): v is number => v !== null));
  const durations = evaluated.map((r) => r.durationSec).filter((v): v is number => v !== null);
  return {
    method,
    tau,
    n: evaluated.length,
    planned: results.length,
    failed: results.filter((r) => r.status === 'failed' || r.status === 'cancelled' || r.status === 'interrupted').length,
    accuracy: pick((r) => r.accuracy),
    balancedAccuracy: pick((r) => r.balancedAccuracy),
    macroF1: pick((r) => r.macroF1),
    valAccuracy: pick((r) => r.valAccuracy),
    meanDurationSec: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
  };
}

/**
 * A saved offline teacher's own row: measured once, on the experiment's test chips, from the teacher
 * probabilities stored with a student that distilled from it (`chips` empty: not measured yet). Its
 * validation accuracy is known only when the model was trained on this dataset's split.
 */
export function savedTeacherRow(chips: readonly { label: number; offline: readonly number[] }[], numClasses: number, valAccuracy: number | null): ResultRow {
  const cm = chips.length ? confusionMatrix(chips.map((c) => c.label), chips.map((c) => argMax(c.offline)), numClasses) : null;
  const once = (v: number | null | undefined): MeanStd | null => (v === null || v === undefined ? null : { mean: v, std: 0 });
  return {
    method: 'teacher',
    tau: null,
    n: cm ? 1 : 0,
    planned: 1,
    failed: 0,
    accuracy: once(cm && accuracy(cm)),
    balancedAccuracy: once(cm && balancedAccuracy(cm)),
    macroF1: once(cm && macroF1(cm)),
    valAccuracy: once(cm && valAccuracy),
    meanDurationSec: null,
  };
}

const atLeast = (a: ResultRow | undefined, b: ResultRow | undefined): boolean | null =>
  a?.accuracy && b?.accuracy ? a.accuracy.mean >= b.accuracy.mean : null;

/** `savedTeacher`: the row of a saved model that was every seed's offline teacher (no teacher run exists then). */
export function summariseExperiment(results: readonly SeedResult[], methodOrder: readonly string[], taus: readonly number[], savedTeacher: ResultRow | null = null): ExperimentTables {
  const methods = methodOrder.map((m) => row(m, null, results.filter((r) => r.role === 'method' && r.method === m)));
  const teacherRuns = results.filter((r) => r.role === 'teacher');
  const tau = taus.map((t) => row('aurakd', t, results.filter((r) => r.role === 'tau' && r.tau === t)));
  const by = (m: string) => methods.find((r) => r.method === m);
  return {
    methods,
    teacher: savedTeacher ?? (teacherRuns.length ? row('teacher', null, teacherRuns) : null),
    tau,
    ordering: Object.fromEntries(ORDERING_PAIRS.map((p) => [p.key, atLeast(by(p.a), by(p.b))])) as ExperimentTables['ordering'],
  };
}
