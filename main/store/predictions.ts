/** Read side of per-chip predictions: confusion cells, rankings, one chip. */
import { boolOrNull, decodeOptionalProbs, decodeProbs } from './codec.js';
import { page, pageBounds, requireId, type StoreContext } from './context.js';
import { SAMPLE_COLUMNS, toSample } from './datasets.js';
import type { ChipInspection, ChipRanking, Page, PageRequest, PredictionRow, RankQuery } from './types.js';

interface PredictionDbRow {
  id: number;
  evaluation_id: number;
  sample_key: string;
  sample_id: number | null;
  label: number;
  predicted: number;
  correct: number;
  student_probs: Buffer;
  offline_probs: Buffer | null;
  online_probs: Buffer | null;
  entropy_student: number;
  entropy_offline: number | null;
  entropy_online: number | null;
  w_off: number | null;
  w_on: number | null;
  offline_correct: number | null;
  online_correct: number | null;
  confidence: number;
  disagreement: number | null;
  path: string | null;
}

const SELECT = `SELECT p.*, s.path AS path FROM predictions p LEFT JOIN samples s ON s.id = p.sample_id`;

/**
 * One page of rows: the ids are picked from a covering index first, so skipped rows (OFFSET) cost an
 * index step instead of a fetch of their probability blobs.
 */
function pageSql(where: string, orderBy: string): string {
  return `WITH pg AS (SELECT p.id FROM predictions p WHERE ${where} ORDER BY ${orderBy} LIMIT @limit OFFSET @offset)
    SELECT p.*, s.path AS path FROM pg JOIN predictions p ON p.id = pg.id LEFT JOIN samples s ON s.id = p.sample_id
    ORDER BY ${orderBy}`;
}

function toPrediction(r: PredictionDbRow): PredictionRow {
  return {
    evaluationId: r.evaluation_id,
    key: r.sample_key,
    sampleId: r.sample_id,
    path: r.path,
    label: r.label,
    predicted: r.predicted,
    correct: r.correct === 1,
    student: decodeProbs(r.student_probs),
    offline: decodeOptionalProbs(r.offline_probs),
    online: decodeOptionalProbs(r.online_probs),
    entropyStudent: r.entropy_student,
    entropyOffline: r.entropy_offline,
    entropyOnline: r.entropy_online,
    wOff: r.w_off,
    wOn: r.w_on,
    offlineCorrect: boolOrNull(r.offline_correct),
    onlineCorrect: boolOrNull(r.online_correct),
    confidence: r.confidence,
    disagreement: r.disagreement,
  };
}

/** Column and extra condition of each ranking; every one is served by an index on (evaluation_id, column). */
const RANKINGS: Record<ChipRanking, { column: string; where: string; order: 'asc' | 'desc' }> = {
  entropy: { column: 'p.entropy_student', where: '', order: 'desc' },
  disagreement: { column: 'p.disagreement', where: 'AND p.disagreement IS NOT NULL', order: 'desc' },
  wOff: { column: 'p.w_off', where: 'AND p.w_off IS NOT NULL', order: 'desc' },
  wrongConfident: { column: 'p.confidence', where: 'AND p.correct = 0', order: 'desc' },
};

export function createPredictionRepo(ctx: StoreContext) {
  function mustExist(evaluationId: number): void {
    if (ctx.value('SELECT 1 FROM evaluations WHERE id = ?', requireId(evaluationId, 'evaluation id')) === undefined) {
      throw new Error(`evaluation ${evaluationId} not found`);
    }
  }

  return {
    /** Chips with true class `label` predicted as `predicted`, most confident first. */
    cell(evaluationId: number, label: number, predicted: number, req: PageRequest = {}): Page<PredictionRow> {
      const bounds = pageBounds(req);
      mustExist(evaluationId);
      const params = { e: evaluationId, label, predicted, limit: bounds.limit, offset: bounds.offset };
      const where = 'p.evaluation_id = @e AND p.label = @label AND p.predicted = @predicted';
      const total = ctx.value<number>(`SELECT count(*) FROM predictions p WHERE ${where}`, params);
      const rows = ctx.stmt(pageSql(where, 'p.confidence DESC, p.id DESC')).all(params) as PredictionDbRow[];
      return page(rows.map(toPrediction), total, bounds);
    },

    /** Chips ranked by a per-chip measure (see ChipRanking); ties by insertion order in the same direction. */
    ranked(evaluationId: number, by: ChipRanking, req: RankQuery = {}): Page<PredictionRow> {
      const ranking = RANKINGS[by];
      if (!ranking) throw new Error(`unknown chip ranking '${String(by)}'`);
      const order = req.order ?? ranking.order;
      if (order !== 'asc' && order !== 'desc') throw new Error(`order must be 'asc' or 'desc', got '${String(order)}'`);
      const bounds = pageBounds(req);
      mustExist(evaluationId);
      const params = { e: evaluationId, limit: bounds.limit, offset: bounds.offset };
      const where = `p.evaluation_id = @e ${ranking.where}`;
      const total = ctx.value<number>(`SELECT count(*) FROM predictions p WHERE ${where}`, params);
      const rows = ctx.stmt(pageSql(where, `${ranking.column} ${order}, p.id ${order}`)).all(params) as PredictionDbRow[];
      return page(rows.map(toPrediction), total, bounds);
    },

    /** Every chip of an evaluation in insertion order (exports). */
    list(evaluationId: number, req: PageRequest = {}): Page<PredictionRow> {
      const bounds = pageBounds(req);
      mustExist(evaluationId);
      const total = ctx.value<number>('SELECT count(*) FROM predictions WHERE evaluation_id = ?', evaluationId);
      const params = { e: evaluationId, limit: bounds.limit, offset: bounds.offset };
      const rows = ctx.stmt(pageSql('p.evaluation_id = @e', 'p.id')).all(params) as PredictionDbRow[];
      return page(rows.map(toPrediction), total, bounds);
    },

    /** Whether each chip of an evaluation was classified correctly, by sample key (paired comparisons). */
    correctness(evaluationId: number): Map<string, boolean> {
      mustExist(evaluationId);
      const rows = ctx.stmt('SELECT sample_key AS key, correct FROM predictions WHERE evaluation_id = ?').all(evaluationId) as { key: string; correct: number }[];
      return new Map(rows.map((r) => [r.key, r.correct === 1]));
    },

    /** Each chip's true class and the offline teacher's probabilities, in insertion order ([] when the evaluation has no offline teacher). */
    offlineProbabilities(evaluationId: number): { label: number; offline: number[] }[] {
      mustExist(evaluationId);
      const rows = ctx.stmt('SELECT label, offline_probs FROM predictions WHERE evaluation_id = ? ORDER BY id').all(evaluationId) as { label: number; offline_probs: Buffer | null }[];
      if (rows.some((r) => r.offline_probs === null)) return [];
      return rows.map((r) => ({ label: r.label, offline: decodeProbs(r.offline_probs as Buffer) }));
    },

    /** One chip of an evaluation with its full sample record (undefined when the key is not in it). */
    inspect(evaluationId: number, key: string): ChipInspection | undefined {
      const row = ctx
        .stmt(`${SELECT} WHERE p.evaluation_id = ? AND p.sample_key = ?`)
        .get(requireId(evaluationId, 'evaluation id'), key) as PredictionDbRow | undefined;
      if (!row) return undefined;
      const sampleRow = row.sample_id === null
        ? undefined
        : (ctx.stmt(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE id = ?`).get(row.sample_id) as Parameters<typeof toSample>[0] | undefined);
      return { ...toPrediction(row), sample: sampleRow ? toSample(sampleRow) : null };
    },
  };
}

export type PredictionRepo = ReturnType<typeof createPredictionRepo>;
