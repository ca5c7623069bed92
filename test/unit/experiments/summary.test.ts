import { describe, expect, it } from 'vitest';
import { meanStd, savedTeacherRow, summariseExperiment, type SeedResult } from '../../../main/experiments/summary.js';

const r = (runId: number, role: SeedResult['role'], method: string, seed: number, accuracy: number | null, status = 'done', tau = 4): SeedResult => ({
  runId, role, method, seed, tau, status, accuracy, balancedAccuracy: accuracy === null ? null : accuracy - 0.01, macroF1: accuracy === null ? null : accuracy - 0.02, valAccuracy: 0.9, durationSec: 60 * seed,
});

describe('experiment summary', () => {
  it('mean and sample standard deviation', () => {
    expect(meanStd([])).toBeNull();
    expect(meanStd([0.9])).toEqual({ mean: 0.9, std: 0 });
    const m = meanStd([0.9, 0.92, 0.97])!;
    expect(m.mean).toBeCloseTo(0.93, 12);
    expect(m.std).toBeCloseTo(Math.sqrt((0.03 ** 2 + 0.01 ** 2 + 0.04 ** 2) / 2), 12);
  });

  it('groups by method and τ, counts only evaluated runs, reports failures and the ordering', () => {
    const results = [
      r(1, 'teacher', 'ce', 1, 0.95), r(1, 'method', 'ce', 1, 0.95),
      r(2, 'method', 'kd', 1, 0.96), r(3, 'method', 'aurakd', 1, 0.97), r(3, 'tau', 'aurakd', 1, 0.97),
      r(4, 'tau', 'aurakd', 1, 0.94, 'done', 2),
      r(5, 'method', 'ce', 2, 0.93), r(6, 'method', 'kd', 2, null, 'failed'), r(7, 'method', 'aurakd', 2, 0.99),
      r(8, 'method', 'selfkd', 1, null, 'running'),
    ];
    const t = summariseExperiment(results, ['ce', 'kd', 'selfkd', 'aurakd'], [2, 4]);
    const ce = t.methods[0];
    expect(ce.method).toBe('ce');
    expect([ce.n, ce.planned, ce.failed]).toEqual([2, 2, 0]);
    expect(ce.accuracy!.mean).toBeCloseTo(0.94, 12);
    expect(ce.accuracy!.std).toBeCloseTo(Math.sqrt(0.0002), 12);
    expect(ce.balancedAccuracy!.mean).toBeCloseTo(0.93, 12);
    expect(ce.macroF1!.mean).toBeCloseTo(0.92, 12);
    expect(ce.meanDurationSec).toBe(90);
    expect([t.methods[1].n, t.methods[1].planned, t.methods[1].failed]).toEqual([1, 2, 1]);
    expect(t.methods[2].accuracy).toBeNull();
    expect(t.methods[3].accuracy!.mean).toBeCloseTo(0.98, 12);
    expect(t.teacher!.accuracy!.mean).toBeCloseTo(0.95, 12);
    expect(t.tau.map((x) => [x.tau, x.n, x.accuracy!.mean])).toEqual([[2, 1, 0.94], [4, 1, 0.97]]);
    expect(t.ordering).toEqual({ auraKdGeKd: true, kdGeCe: true, selfKdGeCe: null });
  });

  it('says when the ordering does not hold', () => {
    const t = summariseExperiment([r(1, 'method', 'ce', 1, 0.97), r(2, 'method', 'kd', 1, 0.95), r(3, 'method', 'aurakd', 1, 0.96)], ['ce', 'kd', 'aurakd'], []);
    expect(t.ordering).toEqual({ auraKdGeKd: true, kdGeCe: false, selfKdGeCe: null });
    expect(t.teacher).toBeNull();
  });

  it("a saved teacher's row: its own test figures from the stored teacher probabilities, measured once", () => {
    // 3 classes, 5 chips; the teacher gets 3 right: chip 3 (class 1) → 2, chip 4 (class 2) → 0 (a tie between 0 and 2: first max).
    const chips = [
      { label: 0, offline: [0.7, 0.2, 0.1] },
      { label: 0, offline: [0.6, 0.3, 0.1] },
      { label: 1, offline: [0.1, 0.8, 0.1] },
      { label: 1, offline: [0.1, 0.2, 0.7] },
      { label: 2, offline: [0.4, 0.2, 0.4] },
    ];
    const row = savedTeacherRow(chips, 3, 0.97);
    expect([row.method, row.n, row.planned, row.failed]).toEqual(['teacher', 1, 1, 0]);
    expect(row.accuracy).toEqual({ mean: 0.6, std: 0 });
    // recalls 1, ½, 0 → balanced ½; F1: class 0 (P ⅔, R 1) 0.8, class 1 (P 1, R ½) ⅔, class 2 0.
    expect(row.balancedAccuracy!.mean).toBeCloseTo(0.5, 12);
    expect(row.macroF1!.mean).toBeCloseTo((0.8 + 2 / 3) / 3, 12);
    expect(row.valAccuracy).toEqual({ mean: 0.97, std: 0 });
    const pending = savedTeacherRow([], 3, 0.97);
    expect([pending.n, pending.accuracy, pending.valAccuracy]).toEqual([0, null, null]);
    // It takes the place of a teacher run's row.
    const t = summariseExperiment([r(2, 'method', 'kd', 1, 0.96)], ['kd'], [], row);
    expect(t.teacher).toBe(row);
  });
});
