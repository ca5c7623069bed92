/** Evaluations of a run on a split, stored with every per-chip prediction in one transaction. */
import { SPLITS, type Split } from '../data/types.js';
import type { ChipPrediction, EvaluationResult } from '../engine/types.js';
import { encodeProbs, fromJson, intOrNullFromBool, maxProb, toJson, totalVariation } from './codec.js';
import { requireId, type StoreContext } from './context.js';
import type { EvaluationRecord } from './types.js';

interface EvaluationRow {
  id: number;
  run_id: number;
  split: Split;
  n: number;
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  ece: number;
  classes: string;
  confusion: string;
  per_class: string;
  reliability: string;
  created_at: number;
}

function toEvaluation(r: EvaluationRow): EvaluationRecord {
  return {
    id: r.id,
    runId: r.run_id,
    split: r.split,
    n: r.n,
    accuracy: r.accuracy,
    balancedAccuracy: r.balanced_accuracy,
    macroF1: r.macro_f1,
    ece: r.ece,
    classes: fromJson(r.classes),
    confusion: fromJson(r.confusion),
    perClass: fromJson(r.per_class),
    reliability: fromJson(r.reliability),
    createdAt: r.created_at,
  };
}

function validateResult(result: EvaluationResult): void {
  const c = result.classes.length;
  if (c === 0) throw new Error('evaluation has no classes');
  if (result.confusion.length !== c || result.confusion.some((row) => row.length !== c)) {
    throw new Error(`confusion matrix must be ${c}×${c}`);
  }
  const seen = new Set<string>();
  for (const chip of result.chips) {
    if (seen.has(chip.key)) throw new Error(`duplicate chip key '${chip.key}' in evaluation`);
    seen.add(chip.key);
    for (const [name, probs] of [['student', chip.student], ['offline', chip.offline], ['online', chip.online]] as const) {
      if (probs !== null && probs.length !== c) {
        throw new Error(`chip '${chip.key}' has ${probs.length} ${name} probabilities, expected ${c}`);
      }
    }
    if (chip.label < 0 || chip.label >= c || chip.predicted < 0 || chip.predicted >= c) {
      throw new Error(`chip '${chip.key}' has a label or prediction outside 0..${c - 1}`);
    }
  }
}

const INSERT_PREDICTION = `INSERT INTO predictions (evaluation_id, sample_key, sample_id, label, predicted, correct,
  student_probs, offline_probs, online_probs, entropy_student, entropy_offline, entropy_online, w_off, w_on,
  offline_correct, online_correct, confidence, disagreement)
  VALUES (?, ?, (SELECT id FROM samples WHERE dataset_id = ? AND key = ?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function createEvaluationRepo(ctx: StoreContext) {
  function get(id: number): EvaluationRecord | undefined {
    const row = ctx.stmt('SELECT * FROM evaluations WHERE id = ?').get(requireId(id, 'evaluation id')) as EvaluationRow | undefined;
    return row && toEvaluation(row);
  }

  function insertChip(evaluationId: number, datasetId: number, chip: ChipPrediction): void {
    ctx.stmt(INSERT_PREDICTION).run(
      evaluationId,
      chip.key,
      datasetId,
      chip.key,
      chip.label,
      chip.predicted,
      chip.correct ? 1 : 0,
      encodeProbs(chip.student),
      chip.offline === null ? null : encodeProbs(chip.offline),
      chip.online === null ? null : encodeProbs(chip.online),
      chip.entropyStudent,
      chip.entropyOffline,
      chip.entropyOnline,
      chip.wOff,
      chip.wOn,
      intOrNullFromBool(chip.offlineCorrect),
      intOrNullFromBool(chip.onlineCorrect),
      maxProb(chip.student),
      chip.offline === null ? null : totalVariation(chip.student, chip.offline),
    );
  }

  /**
   * Stores an evaluation and all its chips in one transaction. Chips are linked to the run's dataset
   * samples by key (sampleId null when the key is not in the dataset). A 'test' evaluation also sets the
   * run's summary columns testAccuracy, balancedAccuracy, macroF1 and ece.
   */
  function add(runId: number, split: Split, result: EvaluationResult): EvaluationRecord {
    if (!SPLITS.includes(split)) throw new Error(`unknown split '${String(split)}'`);
    validateResult(result);
    return ctx.tx(() => {
      const datasetId = ctx.value<number | undefined>('SELECT dataset_id FROM runs WHERE id = ?', requireId(runId, 'run id'));
      if (datasetId === undefined) throw new Error(`run ${runId} not found`);
      const info = ctx
        .stmt(
          `INSERT INTO evaluations (run_id, split, n, accuracy, balanced_accuracy, macro_f1, ece, classes, confusion,
             per_class, reliability, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(runId, split, result.n, result.accuracy, result.balancedAccuracy, result.macroF1, result.ece,
          toJson(result.classes), toJson(result.confusion), toJson(result.perClass), toJson(result.reliability), ctx.now());
      const id = Number(info.lastInsertRowid);
      for (const chip of result.chips) insertChip(id, datasetId, chip);
      if (split === 'test') {
        ctx.stmt('UPDATE runs SET test_accuracy = ?, balanced_accuracy = ?, macro_f1 = ?, ece = ? WHERE id = ?')
          .run(result.accuracy, result.balancedAccuracy, result.macroF1, result.ece, runId);
      }
      return get(id) as EvaluationRecord;
    });
  }

  function latest(runId: number, split: Split): EvaluationRecord | null {
    const row = ctx
      .stmt('SELECT * FROM evaluations WHERE run_id = ? AND split = ? ORDER BY created_at DESC, id DESC LIMIT 1')
      .get(runId, split) as EvaluationRow | undefined;
    return row ? toEvaluation(row) : null;
  }

  return {
    add,
    get,
    latest,
    /** A run's evaluations, newest first. */
    listForRun(runId: number): EvaluationRecord[] {
      const rows = ctx
        .stmt('SELECT * FROM evaluations WHERE run_id = ? ORDER BY created_at DESC, id DESC')
        .all(requireId(runId, 'run id')) as EvaluationRow[];
      return rows.map(toEvaluation);
    },
    /** Deletes an evaluation and its predictions; returns whether it existed. Run summaries are left as they are. */
    delete(id: number): boolean {
      return ctx.stmt('DELETE FROM evaluations WHERE id = ?').run(requireId(id, 'evaluation id')).changes === 1;
    },
  };
}

export type EvaluationRepo = ReturnType<typeof createEvaluationRepo>;
