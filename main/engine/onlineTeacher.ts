/**
 * The online teacher's state between steps (AURA-KD.md, "Online teacher and batch formation").
 *
 *  lastBatch       keeps the previous step's chip indices and the detached student logits of those chips.
 *                  The next step replays those chips first (`replay`), and their stored logits are z_prev.
 *                  Carries over epoch boundaries; the very first step has nothing (CE only).
 *  logitBank       keeps, per training chip, the student logits from its previous visit; chips with an entry
 *                  get z_prev (none in the first epoch).
 *  naivePrevBatch  keeps the previous step's logits and hands row r to row r of the next batch (other chips).
 *
 * `prepare` returns new tensors owned by the caller (call it inside the step's tf.tidy); `record` takes
 * ownership of the logits it is given. State round-trips through `snapshot`/`restore` for checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import type { OnlineTeacher } from './config.js';

export interface OnlinePlan {
  /** Chip indices to replay in front of the new batch (lastBatch only). */
  replay: Int32Array | null;
  /** Rows of the step input that have online logits. */
  rows: Int32Array;
  /** z_prev for those rows [rows.length, C] (null when no row has one). */
  logits: tf.Tensor2D | null;
}

export interface OnlineSnapshot {
  mode: OnlineTeacher;
  /** lastBatch: previous chip indices; logitBank: chips that have an entry. */
  indices: number[];
  /** Stored logits (row-major) and their shape; null when empty. */
  logits: Float32Array | null;
  shape: [number, number] | null;
}

export interface OnlineTeacherState {
  readonly mode: OnlineTeacher;
  prepare(newIdx: Int32Array): OnlinePlan;
  /** Store the detached logits of this step's new chips (takes ownership of `logits`). */
  record(newIdx: Int32Array, logits: tf.Tensor2D): void;
  snapshot(): OnlineSnapshot;
  restore(s: OnlineSnapshot): void;
  dispose(): void;
}

function toSnapshot(mode: OnlineTeacher, indices: ArrayLike<number>, t: tf.Tensor2D | null): OnlineSnapshot {
  return {
    mode,
    indices: Array.from(indices),
    logits: t ? Float32Array.from(t.dataSync() as Float32Array) : null,
    shape: t ? [t.shape[0], t.shape[1]] : null,
  };
}

function fromSnapshot(s: OnlineSnapshot): tf.Tensor2D | null {
  return s.logits && s.shape ? tf.tensor2d(s.logits, s.shape) : null;
}

function checkMode(expected: OnlineTeacher, s: OnlineSnapshot): void {
  if (s.mode !== expected) throw new Error(`online teacher: snapshot is for '${s.mode}', state is '${expected}'`);
}

class LastBatchState implements OnlineTeacherState {
  readonly mode = 'lastBatch' as const;
  private idx: Int32Array | null = null;
  private logits: tf.Tensor2D | null = null;

  prepare(): OnlinePlan {
    if (!this.idx || !this.logits) return { replay: null, rows: new Int32Array(0), logits: null };
    return { replay: this.idx, rows: Int32Array.from(this.idx, (_, r) => r), logits: tf.clone(this.logits) };
  }

  record(newIdx: Int32Array, logits: tf.Tensor2D): void {
    this.logits?.dispose();
    this.idx = Int32Array.from(newIdx);
    this.logits = tf.keep(logits);
  }

  snapshot(): OnlineSnapshot {
    return toSnapshot(this.mode, this.idx ?? [], this.logits);
  }

  restore(s: OnlineSnapshot): void {
    checkMode(this.mode, s);
    this.dispose();
    this.logits = fromSnapshot(s);
    this.idx = this.logits ? Int32Array.from(s.indices) : null;
  }

  dispose(): void {
    this.logits?.dispose();
    this.logits = null;
    this.idx = null;
  }
}

class LogitBankState implements OnlineTeacherState {
  readonly mode = 'logitBank' as const;
  private bank: tf.Tensor2D;
  private readonly has: Uint8Array;

  constructor(
    private readonly numChips: number,
    private readonly numClasses: number,
  ) {
    this.bank = tf.zeros([numChips, numClasses]);
    this.has = new Uint8Array(numChips);
  }

  prepare(newIdx: Int32Array): OnlinePlan {
    const rows: number[] = [];
    newIdx.forEach((chip, r) => {
      if (this.has[chip]) rows.push(r);
    });
    if (rows.length === 0) return { replay: null, rows: new Int32Array(0), logits: null };
    const chips = tf.tensor1d(rows.map((r) => newIdx[r]), 'int32');
    const logits = tf.gather(this.bank, chips) as tf.Tensor2D;
    chips.dispose();
    return { replay: null, rows: Int32Array.from(rows), logits };
  }

  record(newIdx: Int32Array, logits: tf.Tensor2D): void {
    // A chip drawn twice in one batch (balanced sampling) keeps its last row.
    const lastRow = new Map<number, number>();
    newIdx.forEach((chip, r) => lastRow.set(chip, r));
    const chips = [...lastRow.keys()];
    const next = tf.tidy(() => {
      const rows = tf.tensor1d(chips.map((c) => lastRow.get(c) as number), 'int32');
      const updates = tf.gather(logits, rows);
      const indices = tf.tensor2d(chips, [chips.length, 1], 'int32');
      return tf.tensorScatterUpdate(this.bank, indices, updates) as tf.Tensor2D;
    });
    this.bank.dispose();
    logits.dispose();
    this.bank = tf.keep(next);
    for (const c of chips) this.has[c] = 1;
  }

  snapshot(): OnlineSnapshot {
    const indices: number[] = [];
    this.has.forEach((h, c) => {
      if (h) indices.push(c);
    });
    return toSnapshot(this.mode, indices, this.bank);
  }

  restore(s: OnlineSnapshot): void {
    checkMode(this.mode, s);
    const bank = fromSnapshot(s);
    if (!bank || bank.shape[0] !== this.numChips || bank.shape[1] !== this.numClasses) {
      bank?.dispose();
      throw new Error(`online teacher: logit bank snapshot does not match ${this.numChips} chips × ${this.numClasses} classes`);
    }
    this.bank.dispose();
    this.bank = bank;
    this.has.fill(0);
    for (const c of s.indices) this.has[c] = 1;
  }

  dispose(): void {
    this.bank.dispose();
  }
}

class NaivePrevBatchState implements OnlineTeacherState {
  readonly mode = 'naivePrevBatch' as const;
  private logits: tf.Tensor2D | null = null;

  prepare(newIdx: Int32Array): OnlinePlan {
    if (!this.logits) return { replay: null, rows: new Int32Array(0), logits: null };
    const k = Math.min(this.logits.shape[0], newIdx.length);
    return { replay: null, rows: Int32Array.from({ length: k }, (_, r) => r), logits: tf.slice(this.logits, [0, 0], [k, -1]) };
  }

  record(_newIdx: Int32Array, logits: tf.Tensor2D): void {
    this.logits?.dispose();
    this.logits = tf.keep(logits);
  }

  snapshot(): OnlineSnapshot {
    return toSnapshot(this.mode, [], this.logits);
  }

  restore(s: OnlineSnapshot): void {
    checkMode(this.mode, s);
    this.logits?.dispose();
    this.logits = fromSnapshot(s);
  }

  dispose(): void {
    this.logits?.dispose();
    this.logits = null;
  }
}

/** Create the online-teacher state for a training set of `numChips` chips. */
export function createOnlineTeacher(mode: OnlineTeacher, numChips: number, numClasses: number): OnlineTeacherState {
  switch (mode) {
    case 'lastBatch':
      return new LastBatchState();
    case 'logitBank':
      return new LogitBankState(numChips, numClasses);
    case 'naivePrevBatch':
      return new NaivePrevBatchState();
    default:
      throw new Error(`online teacher: unknown mode '${String(mode)}'`);
  }
}
