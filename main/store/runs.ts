/** Runs: creation, life cycle, summary metrics, listing, deletion. */
import { BACKBONES, METHODS, completeTrainConfig, methodNeeds, type BackendName } from '../engine/config.js';
import { fromJson, toJson } from './codec.js';
import { page, pageBounds, requireId, type StoreContext } from './context.js';
import { assertTransition } from './run-status.js';
import { RUN_STATUSES, type DeletedFiles, type NewRun, type Page, type RunFinish, type RunQuery, type RunRecord, type RunSortKey, type RunStatus } from './types.js';
import { normaliseTag } from './annotations.js';
import { classificationsGoingWith } from './classifications.js';

interface RunRow {
  id: number;
  dataset_id: number;
  dataset_name: string;
  name: string;
  method: RunRecord['method'];
  student: RunRecord['student'];
  teacher: RunRecord['teacher'];
  config: string;
  seed: number;
  backend: BackendName | null;
  status: RunStatus;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  best_epoch: number | null;
  val_accuracy: number | null;
  test_accuracy: number | null;
  balanced_accuracy: number | null;
  macro_f1: number | null;
  ece: number | null;
  duration_sec: number | null;
  note: string;
  parent_run_id: number | null;
  sweep_id: string | null;
  teacher_model_id: number | null;
  tags: string;
}

const RUN_SELECT = `SELECT r.*, d.name AS dataset_name,
  (SELECT json_group_array(t.tag ORDER BY t.tag) FROM tags t WHERE t.run_id = r.id) AS tags
  FROM runs r JOIN datasets d ON d.id = r.dataset_id`;

const SORT_COLUMNS: Record<RunSortKey, string> = {
  id: 'r.id',
  name: 'r.name COLLATE NOCASE',
  createdAt: 'r.created_at',
  startedAt: 'r.started_at',
  endedAt: 'r.ended_at',
  valAccuracy: 'r.val_accuracy',
  testAccuracy: 'r.test_accuracy',
  balancedAccuracy: 'r.balanced_accuracy',
  macroF1: 'r.macro_f1',
  ece: 'r.ece',
  durationSec: 'r.duration_sec',
};

/** Summary columns a caller may set directly (evaluations set the test ones themselves). */
export interface RunSummaryPatch {
  bestEpoch?: number | null;
  valAccuracy?: number | null;
  testAccuracy?: number | null;
  balancedAccuracy?: number | null;
  macroF1?: number | null;
  ece?: number | null;
  durationSec?: number | null;
}

const SUMMARY_COLUMNS: Record<keyof RunSummaryPatch, string> = {
  bestEpoch: 'best_epoch',
  valAccuracy: 'val_accuracy',
  testAccuracy: 'test_accuracy',
  balancedAccuracy: 'balanced_accuracy',
  macroF1: 'macro_f1',
  ece: 'ece',
  durationSec: 'duration_sec',
};

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    datasetName: r.dataset_name,
    name: r.name,
    method: r.method,
    student: r.student,
    teacher: r.teacher,
    config: completeTrainConfig(fromJson(r.config)),
    seed: r.seed,
    backend: r.backend,
    status: r.status,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    error: r.error,
    bestEpoch: r.best_epoch,
    valAccuracy: r.val_accuracy,
    testAccuracy: r.test_accuracy,
    balancedAccuracy: r.balanced_accuracy,
    macroF1: r.macro_f1,
    ece: r.ece,
    durationSec: r.duration_sec,
    note: r.note,
    parentRunId: r.parent_run_id,
    sweepId: r.sweep_id,
    teacherModelId: r.teacher_model_id,
    tags: fromJson<string[]>(r.tags),
  };
}

function validName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new Error('run name must be a non-empty string');
  return name.trim();
}

function asList<T extends string>(value: T | T[] | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  for (const v of list) if (!allowed.includes(v)) throw new Error(`unknown ${what} '${String(v)}'`);
  return list;
}

export function createRunRepo(ctx: StoreContext) {
  function get(id: number): RunRecord | undefined {
    const row = ctx.stmt(`${RUN_SELECT} WHERE r.id = ?`).get(requireId(id, 'run id')) as RunRow | undefined;
    return row && toRun(row);
  }

  function mustGet(id: number): RunRecord {
    const run = get(id);
    if (!run) throw new Error(`run ${id} not found`);
    return run;
  }

  function create(input: NewRun): RunRecord {
    const name = validName(input.name);
    const { config } = input;
    if (!METHODS.includes(config.method)) throw new Error(`unknown method '${String(config.method)}'`);
    if (!BACKBONES.includes(config.student)) throw new Error(`unknown student backbone '${String(config.student)}'`);
    if (!BACKBONES.includes(config.teacher)) throw new Error(`unknown teacher backbone '${String(config.teacher)}'`);
    if (!Number.isInteger(config.seed)) throw new Error(`seed must be an integer, got ${config.seed}`);
    const tags = [...new Set((input.tags ?? []).map(normaliseTag))];
    return ctx.tx(() => {
      if (ctx.value(`SELECT 1 FROM datasets WHERE id = ?`, requireId(input.datasetId, 'dataset id')) === undefined) {
        throw new Error(`dataset ${input.datasetId} not found`);
      }
      if (input.parentRunId != null && get(input.parentRunId) === undefined) {
        throw new Error(`parent run ${input.parentRunId} not found`);
      }
      if (input.teacherModelId != null) {
        if (!methodNeeds(config.method).offline) throw new Error(`a ${config.method} run has no offline teacher (teacher model ${input.teacherModelId})`);
        if (ctx.value('SELECT 1 FROM models WHERE id = ?', requireId(input.teacherModelId, 'teacher model id')) === undefined) {
          throw new Error(`teacher model ${input.teacherModelId} not found`);
        }
      }
      const info = ctx
        .stmt(
          `INSERT INTO runs (dataset_id, name, method, student, teacher, config, seed, status, created_at, note,
             parent_run_id, sweep_id, teacher_model_id) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)`,
        )
        .run(input.datasetId, name, config.method, config.student,
          methodNeeds(config.method).offline ? config.teacher : null, toJson(config), config.seed, ctx.now(),
          input.note ?? '', input.parentRunId ?? null, input.sweepId ?? null, input.teacherModelId ?? null);
      const id = Number(info.lastInsertRowid);
      for (const tag of tags) ctx.stmt('INSERT INTO tags (run_id, tag) VALUES (?, ?)').run(id, tag);
      return mustGet(id);
    });
  }

  function list(query: RunQuery = {}): Page<RunRecord> {
    const bounds = pageBounds(query);
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: bounds.limit, offset: bounds.offset };
    if (query.datasetId !== undefined) {
      where.push('r.dataset_id = @datasetId');
      params.datasetId = query.datasetId;
    }
    const inList = (column: string, prefix: string, values: string[] | undefined) => {
      if (!values) return;
      const names = values.map((v, i) => {
        params[`${prefix}${i}`] = v;
        return `@${prefix}${i}`;
      });
      where.push(names.length ? `${column} IN (${names.join(', ')})` : '0');
    };
    inList('r.method', 'method', asList(query.method, METHODS, 'method'));
    inList('r.status', 'status', asList(query.status, RUN_STATUSES, 'status'));
    if (query.tag !== undefined) {
      where.push('EXISTS (SELECT 1 FROM tags t WHERE t.run_id = r.id AND t.tag = @tag)');
      params.tag = normaliseTag(query.tag);
    }
    if (query.search !== undefined && query.search.trim() !== '') {
      where.push(`(r.name LIKE @search ESCAPE '\\' OR r.note LIKE @search ESCAPE '\\')`);
      params.search = `%${query.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (query.sweepId !== undefined) {
      where.push('r.sweep_id = @sweepId');
      params.sweepId = query.sweepId;
    }
    if (query.parentRunId !== undefined) {
      where.push('r.parent_run_id = @parentRunId');
      params.parentRunId = query.parentRunId;
    }
    const sortKey = query.sortBy ?? 'createdAt';
    const column = SORT_COLUMNS[sortKey];
    if (!column) throw new Error(`unknown sort key '${String(sortKey)}'`);
    const order = query.order ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw new Error(`order must be 'asc' or 'desc', got '${String(order)}'`);
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = ctx.value<number>(`SELECT count(*) FROM runs r ${cond}`, params);
    const rows = ctx
      .stmt(`${RUN_SELECT} ${cond} ORDER BY ${column} ${order} NULLS LAST, r.id ${order} LIMIT @limit OFFSET @offset`)
      .all(params) as RunRow[];
    return page(rows.map(toRun), total, bounds);
  }

  function transition(id: number, to: RunStatus, assignments: string, params: unknown[]): RunRecord {
    return ctx.tx(() => {
      const run = mustGet(id);
      assertTransition(id, run.status, to);
      ctx.stmt(`UPDATE runs SET status = ?, ${assignments} WHERE id = ?`).run(to, ...params, id);
      return mustGet(id);
    });
  }

  /** queued → running. Keeps the first start time (a resumed run's); clears end time and error. */
  function start(id: number, opts: { backend: BackendName }): RunRecord {
    if (!['tensorflow', 'wasm', 'cpu'].includes(opts.backend)) throw new Error(`unknown backend '${String(opts.backend)}'`);
    return transition(id, 'running', 'backend = ?, started_at = COALESCE(started_at, ?), ended_at = NULL, error = NULL',
      [opts.backend, ctx.now()]);
  }

  /** running → done, with the training summary. durationSec defaults to ended − started. */
  function finish(id: number, summary: RunFinish = {}): RunRecord {
    const now = ctx.now();
    return transition(id, 'done',
      `ended_at = ?, best_epoch = COALESCE(?, best_epoch), val_accuracy = COALESCE(?, val_accuracy),
       duration_sec = COALESCE(?, (? - started_at) / 1000.0)`,
      [now, summary.bestEpoch ?? null, summary.valAccuracy ?? null, summary.durationSec ?? null, now]);
  }

  function fail(id: number, error: string): RunRecord {
    if (typeof error !== 'string' || error === '') throw new Error('a failed run needs an error message');
    return transition(id, 'failed', 'ended_at = ?, error = ?', [ctx.now(), error]);
  }

  function cancel(id: number): RunRecord {
    return transition(id, 'cancelled', 'ended_at = ?', [ctx.now()]);
  }

  /** interrupted | cancelled → queued, waiting for its resumed job: it can be cancelled again while it waits. */
  function requeue(id: number): RunRecord {
    return transition(id, 'queued', 'ended_at = NULL, error = NULL', []);
  }

  function interrupt(id: number): RunRecord {
    return transition(id, 'interrupted', 'ended_at = ?', [ctx.now()]);
  }

  /**
   * What a dead process left (call once at startup, before any job runs): its 'running' runs become
   * 'interrupted' (also those with no recorded owner), and the runs still 'queued' in its job queue become
   * 'cancelled', as a clean shutdown leaves them, so they can be resumed. Returns the interrupted ids.
   */
  function markInterrupted(ownerAlive: (pid: number) => boolean = () => false): number[] {
    return ctx.tx(() => {
      const rows = ctx.stmt(`SELECT id, status, owner_pid AS pid FROM runs WHERE status IN ('running', 'queued') ORDER BY id`).all() as
        { id: number; status: RunStatus; pid: number | null }[];
      const running = rows.filter((r) => r.status === 'running' && (r.pid === null || !ownerAlive(r.pid))).map((r) => r.id);
      const orphaned = rows.filter((r) => r.status === 'queued' && r.pid !== null && !ownerAlive(r.pid)).map((r) => r.id);
      for (const id of running) ctx.stmt(`UPDATE runs SET status = 'interrupted', ended_at = ? WHERE id = ?`).run(ctx.now(), id);
      for (const id of orphaned) ctx.stmt(`UPDATE runs SET status = 'cancelled', ended_at = ? WHERE id = ?`).run(ctx.now(), id);
      return running;
    });
  }

  /** The process that queued the run's job, when one was recorded. */
  function owner(id: number): number | null {
    mustGet(id);
    return ctx.value<number | null>('SELECT owner_pid FROM runs WHERE id = @id', { id });
  }

  /** Records which process queued the run's job (see markInterrupted). */
  function claim(id: number, pid: number): void {
    mustGet(id);
    ctx.stmt('UPDATE runs SET owner_pid = ? WHERE id = ?').run(pid, id);
  }

  function updateSummary(id: number, patch: RunSummaryPatch): RunRecord {
    const keys = Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined) as Array<keyof RunSummaryPatch>;
    for (const k of keys) if (!SUMMARY_COLUMNS[k]) throw new Error(`unknown run summary field '${k}'`);
    return ctx.tx(() => {
      mustGet(id);
      if (keys.length) {
        const sets = keys.map((k) => `${SUMMARY_COLUMNS[k]} = ?`).join(', ');
        ctx.stmt(`UPDATE runs SET ${sets} WHERE id = ?`).run(...keys.map((k) => patch[k] ?? null), id);
      }
      return mustGet(id);
    });
  }

  function rename(id: number, name: string): RunRecord {
    const valid = validName(name);
    return ctx.tx(() => {
      mustGet(id);
      ctx.stmt('UPDATE runs SET name = ? WHERE id = ?').run(valid, id);
      return mustGet(id);
    });
  }

  /**
   * Deletes the run and everything under it (classifications made with its models only with `cascade`);
   * returns the model directories and checkpoint files to remove.
   */
  function remove(id: number, opts: { cascade?: boolean } = {}): DeletedFiles {
    return ctx.tx(() => {
      const run = mustGet(id);
      if (run.status === 'running') throw new Error(`run ${id} is running; cancel it before deleting`);
      const classificationsDeleted = classificationsGoingWith(ctx, `run ${id}`, 'SELECT id FROM models WHERE run_id = ?', [id], opts.cascade ?? false);
      const files = ctx.column<string>(
        'SELECT dir FROM models WHERE run_id = @id UNION ALL SELECT path FROM checkpoints WHERE run_id = @id',
        { id },
      );
      ctx.stmt('DELETE FROM runs WHERE id = ?').run(id);
      return { files, classificationsDeleted };
    });
  }

  return {
    create,
    get,
    list,
    start,
    finish,
    fail,
    cancel,
    requeue,
    interrupt,
    markInterrupted,
    claim,
    owner,
    updateSummary,
    rename,
    delete: remove,
  };
}

export type RunRepo = ReturnType<typeof createRunRepo>;
