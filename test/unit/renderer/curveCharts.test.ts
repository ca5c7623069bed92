import { describe, expect, it } from 'vitest';
import {
  accuracyCurvesOption,
  lossCurvesOption,
  overlaidCurvesOption,
  pointsFromBatches,
  pointsFromEpochs,
  wOffOption,
} from '../../../renderer/src/charts/curveCharts.js';
import type { CurvePoint } from '../../../renderer/src/charts/curveCharts.js';
import type { EpochMetrics } from '../../../renderer/src/api/types.js';

type Series = { name: string; data: unknown[]; stack?: string }[];

function epoch(phase: 'teacher' | 'student', n: number, over: Partial<EpochMetrics> = {}): EpochMetrics {
  return {
    phase,
    epoch: n,
    loss: { total: 1 / n + 0.5, ce: 1 / n, off: phase === 'student' ? 0.2 / n : 0, on: phase === 'student' ? 0.01 / n : 0 },
    wOff: { mean: 0.9 - 0.1 * n, std: 0.05 * n },
    trainAccuracy: 0.5 + 0.1 * n,
    valAccuracy: 0.4 + 0.1 * n,
    valLoss: 1,
    chipsPerSec: 100,
    seconds: 10,
    learningRate: 1e-3,
    ...over,
  };
}

const points: CurvePoint[] = [
  { x: 0.5, ce: 2, off: 1, on: 0.1, total: 3.1, accuracy: 0.3, valAccuracy: null, wOffMean: 0.95, wOffStd: 0.1 },
  { x: 1, ce: 1.5, off: 0.5, on: 0.05, total: 2.05, accuracy: 0.6, valAccuracy: 0.55, wOffMean: 0.7, wOffStd: 0.2 },
];

describe('curve points', () => {
  it('takes one phase from epoch metrics', () => {
    const p = pointsFromEpochs([epoch('teacher', 1), epoch('student', 1), epoch('student', 2)], 'student');
    expect(p.map((x) => x.x)).toEqual([1, 2]);
    expect(p[1]).toEqual({ x: 2, ce: 0.5, off: 0.1, on: 0.005, total: 1, accuracy: 0.7, valAccuracy: 0.6000000000000001, wOffMean: 0.7, wOffStd: 0.1 });
  });

  it('takes one phase from live batches with no validation value', () => {
    const p = pointsFromBatches(
      [
        { phase: 'teacher', x: 0.5, ce: 1, off: 0, on: 0, total: 1, accuracy: 0.2, wOffMean: 0, wOffStd: 0 },
        { phase: 'student', x: 0.25, ce: 2, off: 1, on: 0.1, total: 3.1, accuracy: 0.3, wOffMean: 0.9, wOffStd: 0.05 },
      ],
      'student',
    );
    expect(p).toEqual([{ phase: 'student', x: 0.25, ce: 2, off: 1, on: 0.1, total: 3.1, accuracy: 0.3, wOffMean: 0.9, wOffStd: 0.05, valAccuracy: null }]);
  });
});

describe('lossCurvesOption', () => {
  it('plots CE, offline KD and online KD as [x, y] pairs', () => {
    const series = lossCurvesOption(points).series as Series;
    expect(series.map((s) => s.name)).toEqual(['CE', 'offline KD', 'online KD']);
    expect(series[0].data).toEqual([
      [0.5, 2],
      [1, 1.5],
    ]);
    expect(series[1].data).toEqual([
      [0.5, 1],
      [1, 0.5],
    ]);
    expect(series[2].data).toEqual([
      [0.5, 0.1],
      [1, 0.05],
    ]);
  });

  it('leaves out KD terms that are zero everywhere (CE runs)', () => {
    const ce = points.map((p) => ({ ...p, off: 0, on: 0 }));
    expect((lossCurvesOption(ce).series as Series).map((s) => s.name)).toEqual(['CE']);
  });
});

describe('accuracyCurvesOption', () => {
  it('draws training accuracy everywhere and validation accuracy only where known', () => {
    const series = accuracyCurvesOption(points).series as Series;
    expect(series[0]).toMatchObject({ name: 'train accuracy', data: [[0.5, 0.3], [1, 0.6]] });
    expect(series[1]).toMatchObject({ name: 'val accuracy', data: [[1, 0.55]] });
  });
});

describe('wOffOption', () => {
  it('builds the mean line and a mean ± std band clipped to [0, 1]', () => {
    const series = wOffOption(points).series as Series;
    expect(series.map((s) => s.name)).toEqual(['band base', 'mean ± std', 'w_off mean']);
    // lower = mean − std; width = min(1, mean + std) − lower
    expect(series[0].data).toEqual([
      [0.5, 0.85],
      [1, 0.5],
    ]);
    expect(series[1].data).toEqual([
      [0.5, 0.15],
      [1, 0.4],
    ]);
    expect(series[0].stack).toBe('band');
    expect(series[1].stack).toBe('band');
    expect(series[2].data).toEqual([
      [0.5, 0.95],
      [1, 0.7],
    ]);
  });
});

describe('overlaidCurvesOption', () => {
  it('draws one line per run from student epochs, skipping missing values', () => {
    const a = [epoch('teacher', 1), epoch('student', 1), epoch('student', 2, { valAccuracy: null })];
    const b = [epoch('student', 1, { valAccuracy: 0.25 })];
    const series = overlaidCurvesOption(
      [
        { name: '#1 a', epochs: a },
        { name: '#2 b', epochs: b },
      ],
      'valAccuracy',
    ).series as Series;
    expect(series.map((s) => s.name)).toEqual(['#1 a', '#2 b']);
    expect(series[0].data).toEqual([[1, 0.5]]);
    expect(series[1].data).toEqual([[1, 0.25]]);
    const ce = overlaidCurvesOption([{ name: 'a', epochs: a }], 'ce').series as Series;
    expect(ce[0].data).toEqual([
      [1, 1],
      [2, 0.5],
    ]);
  });
});
