import { describe, expect, it } from 'vitest';
import {
  EXPERIMENT_COLORS,
  accuracyAxisMin,
  accuracyBars,
  barAxisLabel,
  methodAccuracyOption,
  resultRows,
  tauAccuracyOption,
  tauPoints,
  whisker,
} from '../../../renderer/src/charts/experimentCharts.js';
import { summariseExperiment, type SeedResult } from '../../../main/experiments/summary.js';

const r = (runId: number, role: SeedResult['role'], method: string, seed: number, accuracy: number | null, tau = 4, status = 'done'): SeedResult => ({
  runId, role, method, seed, tau, status, accuracy, balancedAccuracy: accuracy, macroF1: accuracy, valAccuracy: accuracy, durationSec: 10,
});

// Two seeds: teacher 0.90/0.94; CE 0.80/0.84; KD 0.85/0.85; AURA-KD pending on seed 2; τ 2 on seed 1 and 2.
const results: SeedResult[] = [
  r(1, 'teacher', 'ce', 1, 0.9), r(2, 'method', 'ce', 1, 0.8), r(3, 'method', 'kd', 1, 0.85), r(4, 'method', 'aurakd', 1, 0.88), r(4, 'tau', 'aurakd', 1, 0.88),
  r(5, 'teacher', 'ce', 2, 0.94), r(6, 'method', 'ce', 2, 0.84), r(7, 'method', 'kd', 2, 0.85), r(8, 'method', 'aurakd', 2, null, 4, 'running'), r(8, 'tau', 'aurakd', 2, null, 4, 'running'),
  r(9, 'tau', 'aurakd', 1, 0.86, 2), r(10, 'tau', 'aurakd', 2, 0.9, 2),
];
const tables = summariseExperiment(results, ['ce', 'kd', 'aurakd'], [2, 4]);

type Line = { name: string; type: string; data: unknown[]; lineStyle?: { type?: string } };

describe('accuracyBars', () => {
  it('puts the offline teacher first, then methods, in percent with sample std', () => {
    expect(accuracyBars(tables)).toEqual([
      { key: 'teacher', label: 'Offline teacher', mean: 92, std: 2.83, n: 2, planned: 2 },
      { key: 'ce', label: 'CE', mean: 82, std: 2.83, n: 2, planned: 2 },
      { key: 'kd', label: 'KD', mean: 85, std: 0, n: 2, planned: 2 },
      { key: 'aurakd', label: 'AURA-KD', mean: 88, std: 0, n: 1, planned: 2 },
    ]);
  });
});

describe('resultRows', () => {
  it('lists the offline teacher first as a reference row, then the methods', () => {
    expect(resultRows(tables).map((x) => [x.key, x.label, x.reference, x.row.n])).toEqual([
      ['teacher', 'Offline teacher', true, 2],
      ['ce', 'CE', false, 2],
      ['kd', 'KD', false, 2],
      ['aurakd', 'AURA-KD', false, 1],
    ]);
    expect(resultRows({ ...tables, teacher: null }).map((x) => x.key)).toEqual(['ce', 'kd', 'aurakd']);
  });
});

describe('accuracyAxisMin', () => {
  it('starts 5–15 points below the lowest whisker on a multiple of 10, never below 0', () => {
    expect(accuracyAxisMin([79.17, 85])).toBe(70);
    expect(accuracyAxisMin([86])).toBe(80);
    expect(accuracyAxisMin([3])).toBe(0);
    expect(accuracyAxisMin([])).toBe(0);
  });
});

describe('whisker', () => {
  it('spans mean ± std at x with flat caps', () => {
    expect(whisker('CE', 82, 2.83)).toMatchObject({ type: 'line', data: [['CE', 79.17], ['CE', 84.83]], symbol: 'rect', symbolSize: [14, 1.5], silent: true });
  });
});

describe('methodAccuracyOption', () => {
  it('draws one coloured bar per row and whiskers only where two or more seeds are in', () => {
    const option = methodAccuracyOption(tables);
    expect((option.xAxis as { data: string[] }).data).toEqual(['Offline teacher', 'CE', 'KD', 'AURA-KD']);
    expect(option.yAxis).toMatchObject({ name: 'test accuracy %', min: 70, max: 100 });
    const [first, ...whiskers] = option.series as Line[];
    const bars = first as unknown as { data: { value: number | null; itemStyle: { color: string } }[] };
    expect(bars.data.map((d) => [d.value, d.itemStyle.color])).toEqual([
      [92, EXPERIMENT_COLORS.teacher],
      [82, EXPERIMENT_COLORS.ce],
      [85, EXPERIMENT_COLORS.kd],
      [88, EXPERIMENT_COLORS.aurakd],
    ]);
    const label = (option.xAxis as { axisLabel: { formatter: (v: string, i: number) => string } }).axisLabel.formatter;
    expect([0, 3].map((i) => label('', i))).toEqual(['{name|Offline teacher}\n{value|92.0 ± 2.8 %}', '{name|AURA-KD}\n{value|88.0 %}']);
    expect(whiskers.map((w) => w.data)).toEqual([
      [['Offline teacher', 89.17], ['Offline teacher', 94.83]],
      [['CE', 79.17], ['CE', 84.83]],
      [['KD', 85], ['KD', 85]],
    ]);
  });

  it('keeps pending methods on the axis with no bar, and explains them in the tooltip', () => {
    const pending = summariseExperiment([r(1, 'method', 'ce', 1, 0.5), r(2, 'method', 'selfkd', 1, null, 4, 'queued')], ['ce', 'selfkd'], []);
    const option = methodAccuracyOption(pending);
    const bars = (option.series as unknown as { data: { value: number | null }[] }[])[0];
    expect(bars.data.map((d) => d.value)).toEqual([50, null]);
    expect((option.series as unknown[]).length).toBe(1);
    const format = (option.tooltip as { formatter: (p: unknown) => string }).formatter;
    expect(format({ dataIndex: 1 })).toBe('Self-KD<br/>pending (0/1 seed evaluated)');
    expect(format({ dataIndex: 0 })).toBe('CE<br/>test accuracy 50.00 ± 0.00 % (one seed)<br/>1/1 seed evaluated');
    expect(barAxisLabel({ key: 'selfkd', label: 'Self-KD', mean: null, std: 0, n: 0, planned: 1 })).toBe('{name|Self-KD}\n{pending|pending}');
  });
});

describe('tauAccuracyOption', () => {
  it('plots AURA-KD per τ with whiskers, and KD and CE as dashed references over the swept range', () => {
    expect(tauPoints(tables)).toEqual([
      { tau: 2, mean: 88, std: 2.83, n: 2 },
      { tau: 4, mean: 88, std: 0, n: 1 },
    ]);
    const option = tauAccuracyOption(tables, 4);
    const series = option.series as Line[];
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['AURA-KD', [[2, 88], [4, 88]]],
      ['± 1 std', [[2, 85.17], [2, 90.83]]],
      ['KD (τ 4)', [[2, 85], [4, 85]]],
      ['CE', [[2, 82], [4, 82]]],
    ]);
    expect(series[2].lineStyle?.type).toBe('dashed');
    expect((option.legend as { data: string[] }).data).toEqual(['AURA-KD', 'KD (τ 4)', 'CE']);
    expect(option.xAxis).toMatchObject({ name: 'τ', min: 0, max: 5 });
    expect(option.yAxis).toMatchObject({ min: 70, max: 100 });
    // With the online term at its own temperature the sweep moved only the offline term's τ.
    expect(tauAccuracyOption(tables, 4, 4).xAxis).toMatchObject({ name: 'τ of the offline term (online term at τ 4)' });
  });
});
