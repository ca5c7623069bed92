import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createOnlineTeacher } from '../../../main/engine/onlineTeacher.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const logits = (rows: number[][]) => tf.tensor2d(rows);
const read = (t: tf.Tensor | null) => (t ? (t.arraySync() as number[][]) : null);

describe('online teacher state', () => {
  it('lastBatch replays the previous chips with their stored logits; first step has none', () => {
    const s = createOnlineTeacher('lastBatch', 10, 2);
    const first = s.prepare(Int32Array.from([1, 2]));
    expect(first.replay).toBeNull();
    expect(first.rows.length).toBe(0);
    s.record(Int32Array.from([3, 5]), logits([[1, 2], [3, 4]]));
    const plan = s.prepare(Int32Array.from([1, 2]));
    expect(Array.from(plan.replay ?? [])).toEqual([3, 5]);
    expect(Array.from(plan.rows)).toEqual([0, 1]);
    expect(read(plan.logits)).toEqual([[1, 2], [3, 4]]);
    plan.logits?.dispose();
    const snap = s.snapshot();
    const t = createOnlineTeacher('lastBatch', 10, 2);
    t.restore(snap);
    const again = t.prepare(Int32Array.from([0]));
    expect(Array.from(again.replay ?? [])).toEqual([3, 5]);
    expect(read(again.logits)).toEqual([[1, 2], [3, 4]]);
    again.logits?.dispose();
    expect(() => createOnlineTeacher('logitBank', 10, 2).restore(snap)).toThrow(/snapshot is for 'lastBatch'/);
    s.dispose();
    t.dispose();
  });

  it('logitBank gives each chip its logits from the previous visit (last row wins in a batch)', () => {
    const s = createOnlineTeacher('logitBank', 6, 2);
    expect(s.prepare(Int32Array.from([0, 1])).logits).toBeNull();
    s.record(Int32Array.from([0, 2, 2]), logits([[1, 1], [2, 2], [3, 3]]));
    const plan = s.prepare(Int32Array.from([2, 1, 0]));
    expect(plan.replay).toBeNull();
    expect(Array.from(plan.rows)).toEqual([0, 2]);
    expect(read(plan.logits)).toEqual([[3, 3], [1, 1]]);
    plan.logits?.dispose();
    s.record(Int32Array.from([0]), logits([[9, 9]]));
    const t = createOnlineTeacher('logitBank', 6, 2);
    t.restore(s.snapshot());
    const p2 = t.prepare(Int32Array.from([0, 2, 4]));
    expect(Array.from(p2.rows)).toEqual([0, 1]);
    expect(read(p2.logits)).toEqual([[9, 9], [3, 3]]);
    p2.logits?.dispose();
    expect(() => createOnlineTeacher('logitBank', 5, 2).restore(s.snapshot())).toThrow(/does not match/);
    s.dispose();
    t.dispose();
  });

  it('naivePrevBatch matches rows by position', () => {
    const s = createOnlineTeacher('naivePrevBatch', 10, 2);
    s.record(Int32Array.from([7, 8, 9]), logits([[1, 0], [2, 0], [3, 0]]));
    const short = s.prepare(Int32Array.from([1, 2]));
    expect(Array.from(short.rows)).toEqual([0, 1]);
    expect(read(short.logits)).toEqual([[1, 0], [2, 0]]);
    const long = s.prepare(Int32Array.from([1, 2, 3, 4]));
    expect(Array.from(long.rows)).toEqual([0, 1, 2]);
    short.logits?.dispose();
    long.logits?.dispose();
    s.dispose();
  });

  it('leaks no tensors across many steps in every mode', () => {
    for (const mode of ['lastBatch', 'logitBank', 'naivePrevBatch'] as const) {
      const s = createOnlineTeacher(mode, 8, 2);
      s.record(Int32Array.from([0, 1]), logits([[0, 1], [1, 0]]));
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) {
        tf.tidy(() => {
          s.prepare(Int32Array.from([i % 8, (i + 1) % 8]));
        });
        s.record(Int32Array.from([i % 8, (i + 3) % 8]), logits([[i, 0], [0, i]]));
      }
      expect(tf.memory().numTensors, mode).toBe(before);
      s.dispose();
    }
  });
});
