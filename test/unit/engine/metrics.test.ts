import { describe, expect, it } from 'vitest';
import {
  accuracy,
  balancedAccuracy,
  confusionMatrix,
  expectedCalibrationError,
  macroF1,
  perClassMetrics,
  reliabilityBins,
  summarise,
} from '../../../main/engine/metrics.js';

// 3 classes, 8 chips.
const LABELS = [0, 0, 0, 1, 1, 1, 2, 2];
const PRED = [0, 0, 1, 1, 1, 2, 2, 0];

describe('confusion matrix and derived metrics', () => {
  const cm = confusionMatrix(LABELS, PRED, 3);

  it('counts [true][predicted]', () => {
    expect(cm).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 1],
    ]);
    expect(accuracy(cm)).toBe(5 / 8);
  });

  it('per-class precision, recall, F1 and support', () => {
    const per = perClassMetrics(cm, ['a', 'b', 'c']);
    expect(per.map((m) => m.className)).toEqual(['a', 'b', 'c']);
    expect(per.map((m) => m.support)).toEqual([3, 3, 2]);
    expect(per[0].precision).toBeCloseTo(2 / 3, 12);
    expect(per[0].recall).toBeCloseTo(2 / 3, 12);
    expect(per[1].precision).toBeCloseTo(2 / 3, 12);
    expect(per[2].precision).toBeCloseTo(1 / 2, 12);
    expect(per[2].recall).toBeCloseTo(1 / 2, 12);
    expect(per[2].f1).toBeCloseTo(1 / 2, 12);
  });

  it('balanced accuracy is the mean recall, macro-F1 the mean F1', () => {
    expect(balancedAccuracy(cm)).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 2) / 3, 12);
    expect(macroF1(cm)).toBeCloseTo((2 / 3 + 2 / 3 + 1 / 2) / 3, 12);
  });

  it('gives 0, never NaN, for classes without support or predictions', () => {
    const cm2 = confusionMatrix([0, 0, 1], [0, 0, 0], 3);
    const per = perClassMetrics(cm2, ['a', 'b', 'c']);
    expect(per[1]).toEqual({ className: 'b', precision: 0, recall: 0, f1: 0, support: 1 });
    expect(per[2]).toEqual({ className: 'c', precision: 0, recall: 0, f1: 0, support: 0 });
    // Class c occurs nowhere: excluded from both averages.
    expect(balancedAccuracy(cm2)).toBe(0.5);
    expect(macroF1(cm2)).toBeCloseTo((0.8 + 0) / 2, 12);
    expect(accuracy(confusionMatrix([], [], 2))).toBe(0);
  });

  it('rejects out-of-range classes and mismatched lengths', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow(/out of range/);
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow(/labels/);
  });
});

describe('calibration', () => {
  it('bins confidences into (i/10, (i+1)/10] and computes ECE', () => {
    const conf = [0.05, 0.3, 0.35, 0.95, 1.0, 0];
    const correct = [false, true, false, true, true, false];
    const bins = reliabilityBins(conf, correct);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ lower: 0, upper: 0.1, count: 2, accuracy: 0 });
    expect(bins[0].meanConfidence).toBeCloseTo(0.025, 12);
    expect(bins[2].count).toBe(1); // 0.3 belongs to (0.2, 0.3]
    expect(bins[3]).toMatchObject({ count: 1, accuracy: 0 });
    expect(bins[9].count).toBe(2);
    expect(bins[9].meanConfidence).toBeCloseTo(0.975, 12);
    const ece = (2 * 0.025 + 1 * Math.abs(1 - 0.3) + 1 * 0.35 + 2 * 0.025) / 6;
    expect(expectedCalibrationError(bins)).toBeCloseTo(ece, 12);
    expect(expectedCalibrationError(reliabilityBins([], []))).toBe(0);
  });

  it('summarise combines everything', () => {
    const s = summarise(LABELS, PRED, [0.9, 0.8, 0.7, 0.6, 0.95, 0.5, 0.55, 0.65], ['a', 'b', 'c']);
    expect(s.accuracy).toBe(5 / 8);
    expect(s.confusion[2][0]).toBe(1);
    expect(s.reliability.reduce((a, b) => a + b.count, 0)).toBe(8);
    expect(Number.isFinite(s.ece)).toBe(true);
  });
});
