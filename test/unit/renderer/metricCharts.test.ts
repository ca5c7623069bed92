import { describe, expect, it } from 'vitest';
import { perClassF1Option, perClassMetricsOption, probabilityOption, reliabilityOption, tauSweepOption } from '../../../renderer/src/charts/metricCharts.js';

type Series = { name: string; data: unknown[] }[];
const perClass = [
  { className: 'a', precision: 0.9, recall: 0.8, f1: 0.847059, support: 10 },
  { className: 'b', precision: 0.5, recall: 0.6, f1: 0.545454, support: 5 },
];

describe('perClassMetricsOption', () => {
  it('has precision, recall and F1 bars per class', () => {
    const option = perClassMetricsOption(perClass);
    expect((option.xAxis as { data: string[] }).data).toEqual(['a', 'b']);
    const series = option.series as Series;
    expect(series.map((s) => s.name)).toEqual(['precision', 'recall', 'F1']);
    expect(series.map((s) => s.data)).toEqual([
      [0.9, 0.5],
      [0.8, 0.6],
      [0.8471, 0.5455],
    ]);
  });
});

describe('perClassF1Option', () => {
  it('has one F1 series per run aligned on the first run’s classes', () => {
    const other = [
      { className: 'b', precision: 1, recall: 1, f1: 1, support: 5 },
      { className: 'a', precision: 0, recall: 0, f1: 0.25, support: 10 },
    ];
    const series = perClassF1Option([
      { name: 'r1', perClass },
      { name: 'r2', perClass: other },
    ]).series as Series;
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['r1', [0.8471, 0.5455]],
      ['r2', [0.25, 1]],
    ]);
  });
});

describe('reliabilityOption', () => {
  it('plots accuracy and mean confidence per bin, empty bins as gaps, ECE in the title', () => {
    const bins = [
      { lower: 0, upper: 0.5, count: 0, meanConfidence: 0, accuracy: 0 },
      { lower: 0.5, upper: 1, count: 4, meanConfidence: 0.8, accuracy: 0.75 },
    ];
    const option = reliabilityOption(bins, 0.0125);
    const series = option.series as Series;
    expect((option.xAxis as { data: string[] }).data).toEqual(['0.0–0.5', '0.5–1.0']);
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['accuracy', [null, 0.75]],
      ['mean confidence', [null, 0.8]],
    ]);
    expect((option.title as { text: string }).text).toBe('ECE 1.25 %');
  });
});

describe('tauSweepOption', () => {
  it('draws accuracy against τ per method', () => {
    const series = tauSweepOption([
      { tau: 1, accuracy: 0.8, runId: 1, name: 'a', method: 'aurakd' },
      { tau: 4, accuracy: 0.9, runId: 2, name: 'b', method: 'aurakd' },
      { tau: 4, accuracy: 0.85, runId: 3, name: 'c', method: 'kd' },
    ]).series as Series;
    expect(series.map((s) => [s.name, s.data])).toEqual([
      ['AURA-KD', [[1, 0.8], [4, 0.9]]],
      ['KD', [[4, 0.85]]],
    ]);
  });
});

describe('probabilityOption', () => {
  it('shows student and whichever teachers exist, marking the true class', () => {
    const option = probabilityOption(['a', 'b', 'c'], [0.7, 0.2, 0.1], [0.5, 0.25, 0.25], null, 1);
    expect((option.xAxis as { data: string[] }).data).toEqual(['a', 'b ✓', 'c']);
    expect((option.series as Series).map((s) => [s.name, s.data])).toEqual([
      ['student', [0.7, 0.2, 0.1]],
      ['offline teacher', [0.5, 0.25, 0.25]],
    ]);
  });
});

describe('probabilityOption (compact)', () => {
  it('tilts class labels in a narrow panel and keeps the data', () => {
    const option = probabilityOption(['a', 'b'], [0.25, 0.75], null, null, -1, true);
    expect((option.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(40);
    expect((option.series as Series).map((s) => s.data)).toEqual([[0.25, 0.75]]);
  });
});
