/**
 * Several experiments read as one: the same comparison on several carve-outs of a folder (or several
 * batches of seeds). Per method, the mean ± std over every finished seed of every experiment; per
 * method pair, the chips only one of the two got right summed over the experiments (each experiment's
 * pairs are on its own test chips, so the sums stay paired) with the exact McNemar test on the sums.
 */
import type { ExperimentDetailDto } from '../api/experiment-types.js';
import { mcnemarExactP, type PairedComparison } from './paired.js';
import { summariseExperiment, type ExperimentTables, type SeedResult } from './summary.js';

export const MAX_POOLED_EXPERIMENTS = 20;

export interface PooledPair extends PairedComparison {
  /** Experiments that had both methods finished on some seed. */
  experiments: number;
}

export interface PooledExperiments {
  experiments: Array<{ id: number; name: string; datasetName: string; seeds: number[]; runs: number; done: number }>;
  /** Every method of any of the experiments, in the order they first appear. */
  methods: string[];
  classes: string[];
  /** Rows over all finished seeds of all experiments (no τ sweep: its points are single seeds of one experiment). */
  tables: ExperimentTables;
  paired: PooledPair[];
  /** Settings that differ between the experiments (dotted keys, one value per experiment; null: not used). */
  settingsDiff: Array<{ key: string; values: unknown[] }>;
}

/**
 * The method whose options cover everything an experiment's runs use (AURA-KD uses both teachers), so
 * comparing experiments' settings leaves out what none of their runs used (a CE-only experiment's τ).
 */
export function widestMethod(methods: readonly string[], taus: readonly number[]): 'ce' | 'kd' | 'selfkd' | 'aurakd' {
  const offline = methods.includes('kd') || methods.includes('aurakd') || taus.length > 0;
  const online = methods.includes('selfkd') || methods.includes('aurakd') || taus.length > 0;
  return offline && online ? 'aurakd' : offline ? 'kd' : online ? 'selfkd' : 'ce';
}

/** The offline teacher's figures as seed results: its runs, or a saved teacher's one measured row. */
function teacherResults(e: ExperimentDetailDto): SeedResult[] {
  const runs = e.results.filter((r) => r.role === 'teacher');
  const t = e.tables.teacher;
  if (runs.length || e.teacherModelId === null || !t?.accuracy) return runs;
  const once = (m: { mean: number } | null) => m?.mean ?? null;
  return [{ runId: 0, role: 'teacher', method: 'ce', seed: 0, tau: 0, status: 'done', accuracy: t.accuracy.mean, balancedAccuracy: once(t.balancedAccuracy), macroF1: once(t.macroF1), valAccuracy: once(t.valAccuracy), durationSec: null }];
}

/**
 * Pools `details` (at least two, on the same classes in the same order: accuracies over different
 * class sets do not average). `settingsDiff` is what the caller found different in their settings.
 */
export function poolExperiments(details: readonly ExperimentDetailDto[], settingsDiff: PooledExperiments['settingsDiff'] = []): PooledExperiments {
  if (details.length < 2) throw new Error(`pooling needs at least two experiments, got ${details.length}`);
  const classes = details[0].analysis.classes;
  for (const e of details.slice(1)) {
    if (e.analysis.classes.join('\u0000') !== classes.join('\u0000')) {
      throw new Error(`experiments ${details[0].id} and ${e.id} classify different classes (${classes.join(', ')} / ${e.analysis.classes.join(', ')}); pool experiments on the same classes`);
    }
  }
  const methods = [...new Set(details.flatMap((e) => e.methods))];
  const results = details.flatMap((e) => [...e.results.filter((r) => r.role === 'method'), ...teacherResults(e)]);
  const tables = summariseExperiment(results, methods, []);

  const pairs = new Map<string, PooledPair>();
  for (const p of details.flatMap((e) => e.paired)) {
    const key = `${p.a}\u0000${p.b}`;
    const sum = pairs.get(key) ?? { a: p.a, b: p.b, experiments: 0, seeds: 0, chips: 0, aOnly: 0, bOnly: 0, pValue: 1 };
    pairs.set(key, { ...sum, experiments: sum.experiments + 1, seeds: sum.seeds + p.seeds, chips: sum.chips + p.chips, aOnly: sum.aOnly + p.aOnly, bOnly: sum.bOnly + p.bOnly });
  }
  return {
    experiments: details.map((e) => ({ id: e.id, name: e.name, datasetName: e.datasetName, seeds: e.seeds, runs: e.runs, done: e.done })),
    methods,
    classes: [...classes],
    tables,
    paired: [...pairs.values()].map((p) => ({ ...p, pValue: mcnemarExactP(p.aOnly, p.bOnly) })),
    settingsDiff,
  };
}
