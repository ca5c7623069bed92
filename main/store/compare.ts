/** Side-by-side comparison of runs: summaries, curves, latest evaluations, config differences. */
import { TRAIN_OPTION_SPECS, unusedOptions, type TrainConfig } from '../engine/config.js';
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

/** The pseudo-option naming where a distilling run's frozen teacher came from. */
export const TEACHER_SOURCE_KEY = 'teacherModel';
const TRAINED_HERE = 'trained by the run';
const DEFAULTS = new Map<string, unknown>([...TRAIN_OPTION_SPECS.map((s): [string, unknown] => [s.key, s.default]), [TEACHER_SOURCE_KEY, TRAINED_HERE]]);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Dotted keys whose values differ between configs (a key missing in one counts as undefined), sorted.
 * An option a run's method ignores (a CE run's τ, a KD run's weighting) reads as null, "not used", and
 * is no difference in itself: its row appears only when the runs that use it disagree, or one of them
 * set it away from its default (CE vs an AURA-KD run with weighting camkd shows [null, 'camkd']).
 * `teacherModelIds` (per run, null = the run trained its own teacher) adds the `teacherModel` row
 * ("saved model #N" / "trained by the run"); a run distilling from a saved model does not use
 * `teacherEpochs`.
 */
export function configDiff(configs: readonly TrainConfig[], teacherModelIds: readonly (number | null)[] = []): Array<{ key: string; values: unknown[] }> {
  const unused = configs.map((c, i) => {
    const set = unusedOptions(c.method);
    if (set.has('teacher')) set.add(TEACHER_SOURCE_KEY);
    else if (teacherModelIds[i] != null) set.add('teacherEpochs');
    return set;
  });
  const flat = configs.map((c, i) => flattenConfig(c).set(TEACHER_SOURCE_KEY, teacherModelIds[i] != null ? `saved model #${teacherModelIds[i]}` : TRAINED_HERE));
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
  const diff: Array<{ key: string; values: unknown[] }> = [];
  for (const key of keys) {
    const values = flat.map((f, i) => (unused[i].has(key) ? null : f.get(key)));
    const used = values.filter((_, i) => !unused[i].has(key));
    const differs = used.length === values.length ? used.some((v) => !same(v, used[0])) : used.some((v) => !same(v, used[0]) || !same(v, DEFAULTS.get(key)));
    if (differs) diff.push({ key, values });
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
    const diff = configDiff(
      entries.map((e) => e.run.config),
      entries.map((e) => e.run.teacherModelId),
    );
    return { runs: entries, configDiff: diff };
  };
}
