/**
 * Models and checkpoints: files on disk, paths and hashes here. The store never touches the files;
 * deletions return the paths for the caller (jobs/api) to remove.
 */
import type { TrainPhase } from '../engine/types.js';
import { requireId, type StoreContext } from './context.js';
import { fromJson, toJson } from './codec.js';
import { classificationsGoingWith } from './classifications.js';
import { MODEL_KINDS, type CheckpointRecord, type ModelKind, type ModelListItem, type ModelRecord } from './types.js';

interface ModelRow {
  id: number;
  run_id: number | null;
  kind: ModelKind;
  dir: string;
  sha256: string;
  meta: string;
  created_at: number;
}

interface ModelListRow extends ModelRow {
  run_name: string | null;
  test_accuracy: number | null;
}

/** Kinds a run produces; 'imported' models have no run. */
type RunModelKind = Exclude<ModelKind, 'imported'>;

interface CheckpointRow {
  id: number;
  run_id: number;
  phase: TrainPhase;
  epoch: number;
  path: string;
  sha256: string;
  created_at: number;
}

const toModel = (r: ModelRow): ModelRecord => ({
  id: r.id,
  runId: r.run_id,
  kind: r.kind,
  dir: r.dir,
  sha256: r.sha256,
  meta: fromJson<Record<string, unknown>>(r.meta),
  createdAt: r.created_at,
});

const toListItem = (r: ModelListRow): ModelListItem => ({
  ...toModel(r),
  runName: r.run_name,
  testAccuracy: r.test_accuracy,
});

const toCheckpoint = (r: CheckpointRow): CheckpointRecord => ({
  id: r.id,
  runId: r.run_id,
  phase: r.phase,
  epoch: r.epoch,
  path: r.path,
  sha256: r.sha256,
  createdAt: r.created_at,
});

function validFile(path: unknown, sha256: unknown): void {
  if (typeof path !== 'string' || path === '') throw new Error('artifact path must be a non-empty string');
  if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) throw new Error('sha256 must be 64 lowercase hex digits');
}

/** A model's sidecar: a plain JSON object. */
function metaJson(meta: unknown): string {
  const plain =
    typeof meta === 'object' && meta !== null && !Array.isArray(meta) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(meta));
  if (!plain) throw new Error('model meta must be a plain object');
  return toJson(meta);
}

function validKind(kind: unknown): void {
  if (!MODEL_KINDS.includes(kind as ModelKind)) throw new Error(`unknown model kind '${String(kind)}'`);
}

export function createArtifactRepo(ctx: StoreContext) {
  function mustExist(runId: number): void {
    if (ctx.value('SELECT 1 FROM runs WHERE id = ?', requireId(runId, 'run id')) === undefined) {
      throw new Error(`run ${runId} not found`);
    }
  }

  function insert(runId: number | null, kind: ModelKind, dir: string, sha256: string, meta: string): ModelRecord {
    const info = ctx
      .stmt('INSERT INTO models (run_id, kind, dir, sha256, meta, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(runId, kind, dir, sha256, meta, ctx.now());
    return toModel(ctx.stmt('SELECT * FROM models WHERE id = ?').get(info.lastInsertRowid) as ModelRow);
  }

  return {
    /** A model a run produced; `meta` (the sidecar) defaults to {}. */
    addModel(
      runId: number,
      model: { kind: RunModelKind; dir: string; sha256: string; meta?: Record<string, unknown> },
    ): ModelRecord {
      validKind(model.kind);
      if ((model.kind as ModelKind) === 'imported') throw new Error('an imported model has no run; use addImportedModel');
      validFile(model.dir, model.sha256);
      const meta = metaJson(model.meta ?? {});
      mustExist(runId);
      return insert(runId, model.kind, model.dir, model.sha256, meta);
    },
    /** A model the user imported from a folder: kind 'imported', no run. */
    addImportedModel(model: { dir: string; sha256: string; meta: Record<string, unknown> }): ModelRecord {
      validFile(model.dir, model.sha256);
      return insert(null, 'imported', model.dir, model.sha256, metaJson(model.meta));
    },
    /** Every model (optionally of one kind), newest first, with its run's name and test accuracy. */
    listModels(query: { kind?: ModelKind } = {}): ModelListItem[] {
      if (query.kind !== undefined) validKind(query.kind);
      const rows = ctx
        .stmt(
          `SELECT m.*, r.name AS run_name, r.test_accuracy AS test_accuracy
           FROM models m LEFT JOIN runs r ON r.id = m.run_id
           WHERE @kind IS NULL OR m.kind = @kind
           ORDER BY m.created_at DESC, m.id DESC`,
        )
        .all({ kind: query.kind ?? null }) as ModelListRow[];
      return rows.map(toListItem);
    },
    getModel(id: number): ModelRecord | undefined {
      const row = ctx.stmt('SELECT * FROM models WHERE id = ?').get(requireId(id, 'model id')) as ModelRow | undefined;
      return row && toModel(row);
    },
    /** A run's models, oldest first. */
    models(runId: number): ModelRecord[] {
      mustExist(runId);
      return (ctx.stmt('SELECT * FROM models WHERE run_id = ? ORDER BY created_at, id').all(runId) as ModelRow[]).map(toModel);
    },
    latestModel(runId: number, kind: ModelKind): ModelRecord | null {
      const row = ctx
        .stmt('SELECT * FROM models WHERE run_id = ? AND kind = ? ORDER BY created_at DESC, id DESC LIMIT 1')
        .get(runId, kind) as ModelRow | undefined;
      return row ? toModel(row) : null;
    },
    /**
     * Deletes a model; null when it was not stored. Refused while a queued or running run distils from
     * it; classifications made with it go only with `cascade` (see classificationsGoingWith). The model
     * directory is left for the caller to remove.
     */
    deleteModel(id: number, opts: { cascade?: boolean } = {}): { dir: string; classificationsDeleted: number } | null {
      return ctx.tx(() => {
        const dir = ctx.value<string | undefined>('SELECT dir FROM models WHERE id = ?', requireId(id, 'model id'));
        if (dir === undefined) return null;
        const waiting = ctx.value<number | undefined>(
          "SELECT id FROM runs WHERE teacher_model_id = ? AND status IN ('queued', 'running') ORDER BY id LIMIT 1", id);
        if (waiting !== undefined) throw new Error(`model ${id}: refused, run ${waiting} is queued or running and distils from it; cancel that run first`);
        const classificationsDeleted = classificationsGoingWith(ctx, `model ${id}`, 'SELECT ?', [id], opts.cascade ?? false);
        ctx.stmt('DELETE FROM models WHERE id = ?').run(id);
        return { dir, classificationsDeleted };
      });
    },
    /** Records a checkpoint; the same (phase, epoch) again replaces the row (the previous path is returned). */
    addCheckpoint(
      runId: number,
      cp: { phase: TrainPhase; epoch: number; path: string; sha256: string },
    ): { checkpoint: CheckpointRecord; replacedPath: string | null } {
      if (cp.phase !== 'teacher' && cp.phase !== 'student') throw new Error(`unknown phase '${String(cp.phase)}'`);
      if (!Number.isInteger(cp.epoch) || cp.epoch < 0) throw new Error(`epoch must be a non-negative integer, got ${cp.epoch}`);
      validFile(cp.path, cp.sha256);
      return ctx.tx(() => {
        mustExist(runId);
        const previous = ctx.value<string | undefined>(
          'SELECT path FROM checkpoints WHERE run_id = ? AND phase = ? AND epoch = ?', runId, cp.phase, cp.epoch);
        ctx.stmt(
          `INSERT INTO checkpoints (run_id, phase, epoch, path, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (run_id, phase, epoch) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256,
           created_at = excluded.created_at`,
        ).run(runId, cp.phase, cp.epoch, cp.path, cp.sha256, ctx.now());
        const row = ctx
          .stmt('SELECT * FROM checkpoints WHERE run_id = ? AND phase = ? AND epoch = ?')
          .get(runId, cp.phase, cp.epoch) as CheckpointRow;
        return { checkpoint: toCheckpoint(row), replacedPath: previous !== undefined && previous !== cp.path ? previous : null };
      });
    },
    /** Teacher checkpoints first, then student, each by epoch. */
    checkpoints(runId: number): CheckpointRecord[] {
      mustExist(runId);
      const rows = ctx
        .stmt(`SELECT * FROM checkpoints WHERE run_id = ? ORDER BY phase = 'student', epoch`)
        .all(runId) as CheckpointRow[];
      return rows.map(toCheckpoint);
    },
    /** Where a resume starts: the latest student checkpoint, else the latest teacher one. */
    latestCheckpoint(runId: number): CheckpointRecord | null {
      const row = ctx
        .stmt(`SELECT * FROM checkpoints WHERE run_id = ? ORDER BY phase = 'student' DESC, epoch DESC LIMIT 1`)
        .get(runId) as CheckpointRow | undefined;
      return row ? toCheckpoint(row) : null;
    },
    /** Returns the checkpoint file for the caller to remove, or null when it was not stored. */
    deleteCheckpoint(id: number): string | null {
      return ctx.tx(() => {
        const path = ctx.value<string | undefined>('SELECT path FROM checkpoints WHERE id = ?', requireId(id, 'checkpoint id'));
        if (path === undefined) return null;
        ctx.stmt('DELETE FROM checkpoints WHERE id = ?').run(id);
        return path;
      });
    },
  };
}

export type ArtifactRepo = ReturnType<typeof createArtifactRepo>;
