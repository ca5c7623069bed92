/**
 * Experiments: one comparison of methods over seeds (and optionally a τ sweep) on one dataset.
 * The runs are ordinary runs of the history; this repository records which run plays which role.
 */
import { requireId, type StoreContext } from './context.js';

export type ExperimentRole = 'teacher' | 'method' | 'tau';

export interface ExperimentSpec {
  /** The resolved training config every run starts from (method, seed and τ are set per run). */
  config: Record<string, unknown>;
  methods: string[];
  seeds: number[];
  /** τ values of the AURA-KD sweep ([] = no sweep). */
  taus: number[];
  /** Seeds the τ sweep runs over. */
  tauSeeds: number[];
  /** One offline teacher for every seed (absent in experiments stored before the option existed). */
  sharedTeacher?: boolean;
  /** A saved model as every seed's offline teacher. */
  teacherModelId?: number;
}

export interface ExperimentRecord {
  id: number;
  datasetId: number;
  name: string;
  spec: ExperimentSpec;
  createdAt: number;
}

export interface ExperimentRunRecord {
  runId: number;
  role: ExperimentRole;
  method: string;
  seed: number;
  tau: number;
}

interface ExperimentRow {
  id: number;
  dataset_id: number;
  name: string;
  spec: string;
  created_at: number;
}

const toRecord = (r: ExperimentRow): ExperimentRecord => ({
  id: r.id,
  datasetId: r.dataset_id,
  name: r.name,
  spec: JSON.parse(r.spec) as ExperimentSpec,
  createdAt: r.created_at,
});

export function createExperimentRepo(ctx: StoreContext) {
  function get(id: number): ExperimentRecord | undefined {
    const row = ctx.stmt('SELECT * FROM experiments WHERE id = ?').get(requireId(id, 'experiment id')) as ExperimentRow | undefined;
    return row ? toRecord(row) : undefined;
  }

  return {
    get,
    create(input: { datasetId: number; name: string; spec: ExperimentSpec }): ExperimentRecord {
      const name = input.name.trim();
      if (name === '' || name.length > 200) throw new Error('experiment name must be 1..200 characters');
      const info = ctx
        .stmt('INSERT INTO experiments (dataset_id, name, spec, created_at) VALUES (?, ?, ?, ?)')
        .run(requireId(input.datasetId, 'dataset id'), name, JSON.stringify(input.spec), ctx.now());
      return get(Number(info.lastInsertRowid))!;
    },
    addRun(experimentId: number, run: ExperimentRunRecord): void {
      ctx
        .stmt('INSERT INTO experiment_runs (experiment_id, run_id, role, method, seed, tau) VALUES (?, ?, ?, ?, ?, ?)')
        .run(requireId(experimentId, 'experiment id'), requireId(run.runId, 'run id'), run.role, run.method, run.seed, run.tau);
    },
    /** The experiment's runs, oldest run first. */
    runs(experimentId: number): ExperimentRunRecord[] {
      return ctx
        .stmt('SELECT run_id AS runId, role, method, seed, tau FROM experiment_runs WHERE experiment_id = ? ORDER BY run_id, role')
        .all(requireId(experimentId, 'experiment id')) as ExperimentRunRecord[];
    },
    /** Newest first. */
    list(datasetId?: number): ExperimentRecord[] {
      const rows = (
        datasetId === undefined
          ? ctx.stmt('SELECT * FROM experiments ORDER BY created_at DESC, id DESC').all()
          : ctx.stmt('SELECT * FROM experiments WHERE dataset_id = ? ORDER BY created_at DESC, id DESC').all(requireId(datasetId, 'dataset id'))
      ) as ExperimentRow[];
      return rows.map(toRecord);
    },
    /** Deletes the experiment record only (its runs stay in the history); false when absent. */
    delete(id: number): boolean {
      return ctx.stmt('DELETE FROM experiments WHERE id = ?').run(requireId(id, 'experiment id')).changes > 0;
    },
  };
}

export type ExperimentRepo = ReturnType<typeof createExperimentRepo>;
