/** Per-epoch training metrics (the curves). */
import type { EpochMetrics, TrainPhase } from '../engine/types.js';
import { numberOrNaN } from './codec.js';
import { requireId, type StoreContext } from './context.js';
import type { RunCurves } from './types.js';

interface EpochRow {
  run_id: number;
  phase: TrainPhase;
  epoch: number;
  loss_total: number | null;
  loss_ce: number | null;
  loss_off: number | null;
  loss_on: number | null;
  w_off_mean: number | null;
  w_off_std: number | null;
  train_accuracy: number | null;
  val_accuracy: number | null;
  val_loss: number | null;
  chips_per_sec: number | null;
  seconds: number | null;
  learning_rate: number | null;
}

/** NaN (a diverged loss) is stored as NULL and read back as NaN; valAccuracy/valLoss keep null. */
function toEpoch(r: EpochRow): EpochMetrics {
  return {
    phase: r.phase,
    epoch: r.epoch,
    loss: { total: numberOrNaN(r.loss_total), ce: numberOrNaN(r.loss_ce), off: numberOrNaN(r.loss_off), on: numberOrNaN(r.loss_on) },
    wOff: { mean: numberOrNaN(r.w_off_mean), std: numberOrNaN(r.w_off_std) },
    trainAccuracy: numberOrNaN(r.train_accuracy),
    valAccuracy: r.val_accuracy,
    valLoss: r.val_loss,
    chipsPerSec: numberOrNaN(r.chips_per_sec),
    seconds: numberOrNaN(r.seconds),
    learningRate: numberOrNaN(r.learning_rate),
  };
}

const UPSERT = `INSERT INTO epoch_metrics (run_id, phase, epoch, loss_total, loss_ce, loss_off, loss_on, w_off_mean,
  w_off_std, train_accuracy, val_accuracy, val_loss, chips_per_sec, seconds, learning_rate)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (run_id, phase, epoch) DO UPDATE SET loss_total = excluded.loss_total, loss_ce = excluded.loss_ce,
  loss_off = excluded.loss_off, loss_on = excluded.loss_on, w_off_mean = excluded.w_off_mean,
  w_off_std = excluded.w_off_std, train_accuracy = excluded.train_accuracy, val_accuracy = excluded.val_accuracy,
  val_loss = excluded.val_loss, chips_per_sec = excluded.chips_per_sec, seconds = excluded.seconds,
  learning_rate = excluded.learning_rate`;

export function createMetricsRepo(ctx: StoreContext) {
  function mustExist(runId: number): void {
    if (ctx.value('SELECT 1 FROM runs WHERE id = ?', requireId(runId, 'run id')) === undefined) {
      throw new Error(`run ${runId} not found`);
    }
  }

  function insert(runId: number, m: EpochMetrics): void {
    if (m.phase !== 'teacher' && m.phase !== 'student') throw new Error(`unknown phase '${String(m.phase)}'`);
    if (!Number.isInteger(m.epoch) || m.epoch < 1) throw new Error(`epoch must be a positive integer, got ${m.epoch}`);
    ctx.stmt(UPSERT).run(runId, m.phase, m.epoch, m.loss.total, m.loss.ce, m.loss.off, m.loss.on, m.wOff.mean,
      m.wOff.std, m.trainAccuracy, m.valAccuracy, m.valLoss, m.chipsPerSec, m.seconds, m.learningRate);
  }

  return {
    /** Records one epoch; recording the same (phase, epoch) again replaces it (resume re-runs epochs). */
    record(runId: number, m: EpochMetrics): void {
      ctx.tx(() => {
        mustExist(runId);
        insert(runId, m);
      });
    },
    recordMany(runId: number, ms: readonly EpochMetrics[]): void {
      ctx.tx(() => {
        mustExist(runId);
        for (const m of ms) insert(runId, m);
      });
    },
    /** Epochs of one phase, or of both (teacher first), in epoch order. */
    list(runId: number, phase?: TrainPhase): EpochMetrics[] {
      mustExist(runId);
      const rows = (phase === undefined
        ? ctx.stmt(`SELECT * FROM epoch_metrics WHERE run_id = ? ORDER BY phase = 'student', epoch`).all(runId)
        : ctx.stmt('SELECT * FROM epoch_metrics WHERE run_id = ? AND phase = ? ORDER BY epoch').all(runId, phase)) as EpochRow[];
      return rows.map(toEpoch);
    },
    /** The run's curves split by phase. */
    curves(runId: number): RunCurves {
      mustExist(runId);
      const rows = ctx.stmt('SELECT * FROM epoch_metrics WHERE run_id = ? ORDER BY phase, epoch').all(runId) as EpochRow[];
      const curves: RunCurves = { teacher: [], student: [] };
      for (const r of rows) curves[r.phase].push(toEpoch(r));
      return curves;
    },
    /** Drops epochs after `epoch` of a phase (a resume from an earlier checkpoint); returns how many went. */
    truncateAfter(runId: number, phase: TrainPhase, epoch: number): number {
      mustExist(runId);
      return ctx.stmt('DELETE FROM epoch_metrics WHERE run_id = ? AND phase = ? AND epoch > ?').run(runId, phase, epoch).changes;
    },
  };
}

export type MetricsRepo = ReturnType<typeof createMetricsRepo>;
