/** Side-by-side comparison of runs: summaries, curves, latest evaluations, config differences. */
import type { EvaluationRepo } from './evaluations.js';
import type { MetricsRepo } from './metrics.js';
import type { RunRepo } from './runs.js';
import type { RunComparison } from './types.js';

export const MAX_COMPARED_RUNS = 20;

/** Flattens nested plain objects to dotted keys; arrays and scalars are leaves. */
export function flattenConfig(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** Dotted keys whose values differ between configs (a key missing in one counts as undefined), sorted. */
export function configDiff(configs: readonly unknown[]): Array<{ key: string; values: unknown[] }> {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const diff: Array<{ key: string; values: unknown[] }> = [];
  for (const key of keys) {
    const values = flat.map((f) => f.get(key));
    const first = JSON.stringify(values[0]);
    if (values.some((v) => JSON.stringify(v) !== first)) diff.push({ key, values });
  }
  return diff;
}

export function createComparer(runs: RunRepo, metrics: MetricsRepo, evaluations: EvaluationRepo) {
  return function compareRuns(ids: readonly number[]): RunComparison {
    const unique = [...new Set(ids)];
    if (unique.length < 2 || unique.length > MAX_COMPARED_RUNS) {
      throw new Error(`compare needs 2..${MAX_COMPARED_RUNS} distinct run ids, got ${unique.length}`);
    }
    const entries = unique.map((id) => {
      const run = runs.get(id);
      if (!run) throw new Error(`run ${id} not found`);
      return {
        run,
        curves: metrics.curves(id),
        latestVal: evaluations.latest(id, 'val'),
        latestTest: evaluations.latest(id, 'test'),
      };
    });
    return { runs: entries, configDiff: configDiff(entries.map((e) => e.run.config)) };
  };
}
