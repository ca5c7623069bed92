import { describe, expect, it } from 'vitest';
import { addProgress, decimate, emptySeries, mergeEpochs, phasesIn } from '../../../renderer/src/lib/liveSeries.js';
import type { BatchProgress, EpochMetrics, EpochProgress } from '../../../renderer/src/api/types.js';

function batch(phase: 'teacher' | 'student', epoch: number, b: number, ce = 1): BatchProgress {
  return {
    kind: 'batch',
    phase,
    epoch,
    epochs: 3,
    batch: b,
    batches: 4,
    loss: { total: ce + 0.5, ce, off: 0.4, on: 0.1 },
    wOff: { mean: 0.8, std: 0.1 },
    accuracy: 0.5,
    chipsPerSec: 50,
    etaSec: 30,
  };
}

function epochMetrics(phase: 'teacher' | 'student', epoch: number, val: number): EpochMetrics {
  return {
    phase,
    epoch,
    loss: { total: 1, ce: 1, off: 0, on: 0 },
    wOff: { mean: 0, std: 0 },
    trainAccuracy: 0.5,
    valAccuracy: val,
    valLoss: 1,
    chipsPerSec: 10,
    seconds: 3,
    learningRate: 1e-3,
  };
}

describe('live series', () => {
  it('turns batch events into fractional-epoch points and ignores repeats', () => {
    let s = emptySeries();
    s = addProgress(s, batch('student', 1, 2, 2));
    s = addProgress(s, batch('student', 1, 2, 2));
    s = addProgress(s, batch('student', 2, 1, 1.5));
    expect(s.batches).toEqual([
      { phase: 'student', x: 0.5, ce: 2, off: 0.4, on: 0.1, total: 2.5, accuracy: 0.5, wOffMean: 0.8, wOffStd: 0.1 },
      { phase: 'student', x: 1.25, ce: 1.5, off: 0.4, on: 0.1, total: 2, accuracy: 0.5, wOffMean: 0.8, wOffStd: 0.1 },
    ]);
  });

  it('keeps epoch records without the event-only fields, an epoch replacing its earlier record', () => {
    const e1: EpochProgress = { ...epochMetrics('student', 1, 0.6), kind: 'epoch', epochs: 3, etaSec: 10 };
    let s = addProgress(emptySeries(), e1);
    s = addProgress(s, { ...e1, valAccuracy: 0.7 });
    expect(s.epochs).toEqual([epochMetrics('student', 1, 0.7)]);
  });

  it('merges stored and live epochs: teacher first, then by epoch', () => {
    const merged = mergeEpochs([epochMetrics('student', 2, 0.1), epochMetrics('teacher', 1, 0.2)], [epochMetrics('student', 1, 0.3), epochMetrics('student', 2, 0.4)]);
    expect(merged.map((e) => [e.phase, e.epoch, e.valAccuracy])).toEqual([
      ['teacher', 1, 0.2],
      ['student', 1, 0.3],
      ['student', 2, 0.4],
    ]);
  });

  it('lists the phases present', () => {
    let s = addProgress(emptySeries(), batch('teacher', 1, 1));
    expect(phasesIn(s)).toEqual(['teacher']);
    s = addProgress(s, batch('student', 1, 1));
    expect(phasesIn(s)).toEqual(['teacher', 'student']);
  });

  it('decimates old points but keeps the newest half intact and stays within the bound', () => {
    const pts = Array.from({ length: 12 }, (_, i) => i);
    const d = decimate(pts, 8);
    expect(d).toEqual([0, 2, 4, 6, 8, 9, 10, 11]);
    expect(decimate([1, 2, 3], 8)).toEqual([1, 2, 3]);
    let s = emptySeries(10);
    for (let e = 1; e <= 3; e++) for (let b = 1; b <= 4; b++) s = addProgress(s, batch('student', e, b));
    expect(s.batches.length).toBeLessThanOrEqual(10);
    expect(s.batches[s.batches.length - 1].x).toBe(3);
  });
});
