/**
 * Batch classifications: one model applied to a folder of new chips, one row per chip. Life cycle
 * queued → running → done | failed | cancelled (a queued one may also fail or be cancelled); the three
 * last are final. Rows are added while queued or running. Deleting a model deletes its classifications,
 * so whatever deletes models asks `classificationsGoingWith` first.
 */
import type { SkippedFile } from '../data/types.js';
import { decodeProbs, encodeProbs, fromJson, maxProb, toJson } from './codec.js';
import { requireId, type StoreContext } from './context.js';
import {
  CLASSIFICATION_STATUSES,
  type ClassificationRecord,
  type ClassificationRowRecord,
  type ClassificationStatus,
  type ClassificationStatusPatch,
  type NewClassification,
  type NewClassificationRow,
} from './types.js';

export const CLASSIFICATION_TRANSITIONS: Readonly<Record<ClassificationStatus, readonly ClassificationStatus[]>> = {
  queued: ['running', 'failed', 'cancelled'],
  running: ['done', 'failed', 'cancelled'],
  done: [],
  failed: [],
  cancelled: [],
};

/**
 * Guard for deleting models (`models`: a SELECT of model ids): the classifications made with them go too
 * (ON DELETE CASCADE), so this refuses unless `cascade`, and always while one of them is queued or running.
 * Returns how many classifications the deletion takes with it. Call inside the deleting transaction.
 */
export function classificationsGoingWith(ctx: StoreContext, what: string, models: string, params: unknown[], cascade: boolean): number {
  const rows = ctx.stmt(`SELECT id, status FROM classifications WHERE model_id IN (${models}) ORDER BY id`).all(...params) as Array<{ id: number; status: ClassificationStatus }>;
  const active = rows.find((r) => r.status === 'queued' || r.status === 'running');
  if (active) throw new Error(`${what}: classification ${active.id} is ${active.status} with its model; cancel it before deleting`);
  if (rows.length > 0 && !cascade) {
    const ids = rows.slice(0, 5).map((r) => `#${r.id}`).join(', ') + (rows.length > 5 ? ', …' : '');
    throw new Error(`${what}: refused, ${rows.length} classification(s) were made with its model (${ids}) and would be deleted with it; ask for cascade (CLI: --cascade) to delete them too`);
  }
  return rows.length;
}

/** The error stored on classifications a dead process left queued or running. */
export const INTERRUPTED_ERROR = 'interrupted';

interface ClassificationRow {
  id: number;
  model_id: number;
  folder: string;
  classes: string;
  status: ClassificationStatus;
  skipped: string;
  error: string | null;
  created_at: number;
  finished_at: number | null;
  row_count: number;
  flagged_count: number;
}

interface RowRow {
  classification_id: number;
  key: string;
  path: string;
  predicted: number;
  probs: Buffer;
  confidence: number;
  entropy: number;
  flagged: number;
  lat: number | null;
  lon: number | null;
}

const SELECT = `
  SELECT c.*,
    (SELECT count(*) FROM classification_rows r WHERE r.classification_id = c.id) AS row_count,
    (SELECT count(*) FROM classification_rows r WHERE r.classification_id = c.id AND r.flagged = 1) AS flagged_count
  FROM classifications c`;

const toRecord = (r: ClassificationRow): ClassificationRecord => ({
  id: r.id,
  modelId: r.model_id,
  folder: r.folder,
  classes: fromJson<string[]>(r.classes),
  status: r.status,
  skipped: fromJson<SkippedFile[]>(r.skipped),
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  rowCount: r.row_count,
  flaggedCount: r.flagged_count,
});

const toRow = (r: RowRow): ClassificationRowRecord => ({
  classificationId: r.classification_id,
  key: r.key,
  path: r.path,
  predicted: r.predicted,
  probs: decodeProbs(r.probs),
  confidence: r.confidence,
  entropy: r.entropy,
  flagged: r.flagged === 1,
  lat: r.lat,
  lon: r.lon,
});

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function nonEmpty(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`${what} must be a non-empty string`);
  return value;
}

function validClasses(classes: unknown): string[] {
  if (!Array.isArray(classes) || classes.length === 0 || classes.some((c) => typeof c !== 'string' || c === '')) {
    throw new Error('classes must be a non-empty array of non-empty strings');
  }
  return classes as string[];
}

function validSkipped(skipped: unknown): SkippedFile[] {
  const ok = Array.isArray(skipped) && skipped.every((s) =>
    typeof s === 'object' && s !== null && typeof s.path === 'string' && typeof s.reason === 'string');
  if (!ok) throw new Error('skipped must be an array of { path, reason } strings');
  return (skipped as SkippedFile[]).map((s) => ({ path: s.path, reason: s.reason }));
}

function validCoordinate(value: unknown, limit: number, what: string): number | null {
  if (value === undefined || value === null) return null;
  if (!isFinite(value) || Math.abs(value) > limit) throw new Error(`${what} must be a number in -${limit}..${limit}, got ${String(value)}`);
  return value;
}

/** The row's column values, in insert order, after validation against the class count. */
function rowValues(id: number, classCount: number, row: NewClassificationRow): unknown[] {
  const key = nonEmpty(row.key, 'row key');
  const path = nonEmpty(row.path, `path of row '${key}'`);
  if (!Number.isInteger(row.predicted) || row.predicted < 0 || row.predicted >= classCount) {
    throw new Error(`predicted class of row '${key}' must be an integer in 0..${classCount - 1}, got ${String(row.predicted)}`);
  }
  if (!Array.isArray(row.probs) || row.probs.length !== classCount || !row.probs.every((p) => isFinite(p) && p >= 0 && p <= 1)) {
    throw new Error(`probs of row '${key}' must be ${classCount} numbers in 0..1`);
  }
  if (!isFinite(row.entropy) || row.entropy < 0) throw new Error(`entropy of row '${key}' must be a non-negative number`);
  const lat = validCoordinate(row.lat, 90, `lat of row '${key}'`);
  const lon = validCoordinate(row.lon, 180, `lon of row '${key}'`);
  return [id, key, path, row.predicted, encodeProbs(row.probs), maxProb(row.probs), row.entropy, lat, lon];
}

export function createClassificationRepo(ctx: StoreContext) {
  function get(id: number): ClassificationRecord | undefined {
    const row = ctx.stmt(`${SELECT} WHERE c.id = ?`).get(requireId(id, 'classification id')) as ClassificationRow | undefined;
    return row && toRecord(row);
  }

  function mustGet(id: number): ClassificationRecord {
    const record = get(id);
    if (!record) throw new Error(`classification ${id} not found`);
    return record;
  }

  function getRow(id: number, key: string): ClassificationRowRecord | undefined {
    const row = ctx
      .stmt('SELECT * FROM classification_rows WHERE classification_id = ? AND key = ?')
      .get(id, key) as RowRow | undefined;
    return row && toRow(row);
  }

  return {
    /** A new classification in status 'queued'. */
    create(input: NewClassification): ClassificationRecord {
      const modelId = requireId(input.modelId, 'model id');
      const folder = nonEmpty(input.folder, 'folder');
      const classes = validClasses(input.classes);
      return ctx.tx(() => {
        if (ctx.value('SELECT 1 FROM models WHERE id = ?', modelId) === undefined) throw new Error(`model ${modelId} not found`);
        const info = ctx
          .stmt('INSERT INTO classifications (model_id, folder, classes, created_at) VALUES (?, ?, ?, ?)')
          .run(modelId, folder, toJson(classes), ctx.now());
        return mustGet(Number(info.lastInsertRowid));
      });
    },
    get,
    /** Every classification, newest first (rows not included). */
    list(): ClassificationRecord[] {
      return (ctx.stmt(`${SELECT} ORDER BY c.created_at DESC, c.id DESC`).all() as ClassificationRow[]).map(toRecord);
    },
    /**
     * Moves along CLASSIFICATION_TRANSITIONS; done, failed and cancelled set finishedAt. 'failed' needs
     * an error message, 'cancelled' may have one; `skipped` replaces the stored list of unreadable files.
     */
    setStatus(id: number, status: ClassificationStatus, patch: ClassificationStatusPatch = {}): ClassificationRecord {
      if (!CLASSIFICATION_STATUSES.includes(status)) throw new Error(`unknown classification status '${String(status)}'`);
      if (status === 'failed') nonEmpty(patch.error, 'error of a failed classification');
      else if (patch.error !== undefined) {
        if (status !== 'cancelled') throw new Error(`an error message goes only with status 'failed' or 'cancelled', not '${status}'`);
        nonEmpty(patch.error, 'error of a cancelled classification');
      }
      const skipped = patch.skipped === undefined ? undefined : validSkipped(patch.skipped);
      return ctx.tx(() => {
        const current = mustGet(id);
        if (!CLASSIFICATION_TRANSITIONS[current.status].includes(status)) {
          throw new Error(`classification ${id} cannot go from '${current.status}' to '${status}'`);
        }
        const finishedAt = CLASSIFICATION_TRANSITIONS[status].length === 0 ? ctx.now() : null;
        ctx
          .stmt(
            `UPDATE classifications SET status = ?, error = ?, finished_at = ?, skipped = coalesce(?, skipped) WHERE id = ?`,
          )
          .run(status, patch.error ?? null, finishedAt, skipped === undefined ? null : toJson(skipped), id);
        return mustGet(id);
      });
    },
    /** Adds rows in one transaction (all or none); confidence = max prob. Returns the number added. */
    addRows(id: number, rows: readonly NewClassificationRow[]): number {
      if (!Array.isArray(rows)) throw new Error('rows must be an array');
      return ctx.tx(() => {
        const current = mustGet(id);
        if (current.status !== 'queued' && current.status !== 'running') {
          throw new Error(`classification ${id} is ${current.status}; rows can no longer be added`);
        }
        const insert = ctx.stmt(
          `INSERT INTO classification_rows (classification_id, key, path, predicted, probs, confidence, entropy, lat, lon)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const row of rows) {
          const values = rowValues(id, current.classes.length, row);
          if (getRow(id, row.key)) throw new Error(`classification ${id} already has a row for key '${row.key}'`);
          insert.run(...values);
        }
        return rows.length;
      });
    },
    /** Every row, ordered by key. */
    rows(id: number): ClassificationRowRecord[] {
      return ctx.tx(() => {
        mustGet(id);
        const rows = ctx.stmt('SELECT * FROM classification_rows WHERE classification_id = ? ORDER BY key').all(id) as RowRow[];
        return rows.map(toRow);
      });
    },
    /** Sets or clears an analyst's flag on one row; returns the row. */
    setFlag(id: number, key: string, flagged: boolean): ClassificationRowRecord {
      if (typeof flagged !== 'boolean') throw new Error('flagged must be a boolean');
      nonEmpty(key, 'row key');
      return ctx.tx(() => {
        mustGet(id);
        const info = ctx
          .stmt('UPDATE classification_rows SET flagged = ? WHERE classification_id = ? AND key = ?')
          .run(flagged ? 1 : 0, id, key);
        if (info.changes === 0) throw new Error(`classification ${id} has no row for key '${String(key)}'`);
        return getRow(id, key) as ClassificationRowRecord;
      });
    },
    /** Deletes a classification and its rows; false when it was not stored. Refuses a running one. */
    delete(id: number): boolean {
      return ctx.tx(() => {
        const current = get(id);
        if (!current) return false;
        if (current.status === 'running') throw new Error(`classification ${id} is running; cancel it before deleting`);
        ctx.stmt('DELETE FROM classifications WHERE id = ?').run(id);
        return true;
      });
    },
    /**
     * Turns every queued or running classification whose owning process is gone (`ownerAlive` false, or
     * no owner recorded) into failed with error 'interrupted'; call once at app start (a process that
     * died leaves them so). Returns their ids, ascending.
     */
    markInterrupted(ownerAlive: (pid: number) => boolean = () => false): number[] {
      return ctx.tx(() => {
        const rows = ctx.stmt(`SELECT id, owner_pid AS pid FROM classifications WHERE status IN ('queued', 'running') ORDER BY id`).all() as { id: number; pid: number | null }[];
        const ids = rows.filter((r) => r.pid === null || !ownerAlive(r.pid)).map((r) => r.id);
        for (const id of ids) ctx.stmt(`UPDATE classifications SET status = 'failed', error = ?, finished_at = ? WHERE id = ?`).run(INTERRUPTED_ERROR, ctx.now(), id);
        return ids;
      });
    },
    /** Records which process queued the classification's job. */
    claim(id: number, pid: number): void {
      if (ctx.stmt('UPDATE classifications SET owner_pid = ? WHERE id = ?').run(pid, id).changes === 0) throw new Error(`classification ${id} not found`);
    },
  };
}

export type ClassificationRepo = ReturnType<typeof createClassificationRepo>;
