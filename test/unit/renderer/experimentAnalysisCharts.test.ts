import { describe, expect, it } from 'vitest';
import {
  analysedMethods,
  confusionLabel,
  confusionLine,
  pooledConfusionOption,
  recallGrid,
  recallHeatmapOption,
  recallScaleMin,
  wOffBand,
  wOffByEpochOption,
} from '../../../renderer/src/charts/experimentAnalysisCharts.js';
import { analyseMethod } from '../../../main/experiments/analysis.js';

const classes = ['2S1', 'BMP2', 'T72'];
// CE over two seeds: recall (0.9, 1, 0.8) and (1, 0.9, 0.7) → mean 95, 95, 75 %.
const ce = analyseMethod('ce', classes, [
  { confusion: [[9, 1, 0], [0, 10, 0], [0, 2, 8]] },
  { confusion: [[10, 0, 0], [1, 9, 0], [0, 3, 7]] },
], []);
const kdPending = analyseMethod('kd', classes, [], []);
// Self-KD, one seed: 2S1 and T72 tie as weakest (80 %).
const selfkd = analyseMethod('selfkd', classes, [{ confusion: [[8, 2, 0], [0, 10, 0], [0, 2, 8]] }], []);
const aurakd = analyseMethod('aurakd', classes, [{ confusion: [[10, 0, 0], [0, 10, 0], [1, 0, 9]] }], [
  [{ epoch: 1, wOff: { mean: 0.9, std: 0.2 } }, { epoch: 2, wOff: { mean: 0.6, std: 0.5 } }],
]);
const analysis = { classes, methods: [ce, kdPending, selfkd, aurakd] };

type HeatItem = { value: [number, number, number]; itemStyle: { borderWidth: number }; label?: { fontWeight: number } };
type Series = { name: string; type: string; data: unknown[]; stack?: string; lineStyle?: { type?: string } };
const formatter = (option: { tooltip?: unknown }) => (option.tooltip as { formatter: (p: unknown) => string }).formatter;

describe('recallGrid', () => {
  it('lays the analysed methods out as columns of per-class recall in percent, marking each one’s weakest classes', () => {
    expect(analysedMethods(analysis).map((m) => m.method)).toEqual(['ce', 'selfkd', 'aurakd']);
    expect(recallGrid(analysis)).toEqual({
      methods: ['CE', 'Self-KD', 'AURA-KD'],
      classes,
      cells: [
        [0, 0, 95], [0, 1, 95], [0, 2, 75],
        [1, 0, 80], [1, 1, 100], [1, 2, 80],
        [2, 0, 100], [2, 1, 100], [2, 2, 90],
      ],
      weakest: [[2], [0, 2], [2]],
      seeds: [2, 1, 1],
    });
  });

  it('marks nothing in a column whose classes are all equal', () => {
    const perfect = analyseMethod('ce', classes, [{ confusion: [[5, 0, 0], [0, 5, 0], [0, 0, 5]] }], []);
    expect(recallGrid({ classes, methods: [perfect] }).weakest).toEqual([[]]);
  });
});

describe('recallScaleMin', () => {
  it('starts the colour scale on the multiple of 10 at or below the lowest recall, at most 90', () => {
    expect(recallScaleMin([95, 75, 100])).toBe(70);
    expect(recallScaleMin([80])).toBe(80);
    expect(recallScaleMin([100, 100])).toBe(90);
    expect(recallScaleMin([3])).toBe(0);
    expect(recallScaleMin([])).toBe(0);
  });
});

describe('recallHeatmapOption', () => {
  it('draws classes as rows and methods as columns, with the weakest cells outlined and bold', () => {
    const option = recallHeatmapOption(analysis);
    expect(option.visualMap).toMatchObject({ min: 70, max: 100, text: ['100 %', '70 %'] });
    expect((option.yAxis as { data: string[]; inverse: boolean }).data).toEqual(classes);
    const label = (option.xAxis as { axisLabel: { formatter: (v: string, i: number) => string } }).axisLabel.formatter;
    expect(label('CE', 0)).toBe('{name|CE}\n{seeds|2 seeds}');
    expect(label('AURA-KD', 2)).toBe('{name|AURA-KD}\n{seeds|1 seed}');
    const data = (option.series as { data: HeatItem[] }[])[0].data;
    const outlined = data.filter((d) => d.itemStyle.borderWidth === 2).map((d) => d.value);
    expect(outlined).toEqual([[0, 2, 75], [1, 0, 80], [1, 2, 80], [2, 2, 90]]);
    expect(data.filter((d) => d.label?.fontWeight === 700)).toHaveLength(4);
    expect(formatter(option)({ value: [0, 2, 75] })).toBe('CE · true T72<br/>recall 75.0 % (mean over 2 seeds)<br/><b>weakest class of CE</b>');
    expect(formatter(option)({ value: [2, 0, 100] })).toBe('AURA-KD · true 2S1<br/>recall 100.0 % (mean over 1 seed)');
  });
});

describe('confusions', () => {
  it('lists the most frequent confusions in the CLI’s wording', () => {
    expect(ce.topConfusions).toEqual([
      { trueClass: 'T72', predictedClass: 'BMP2', count: 5 },
      { trueClass: '2S1', predictedClass: 'BMP2', count: 1 },
      { trueClass: 'BMP2', predictedClass: '2S1', count: 1 },
    ]);
    expect(confusionLabel(ce.topConfusions[0])).toBe('T72 → BMP2 ×5');
    expect(confusionLine(ce.topConfusions)).toBe('T72 → BMP2 ×5, 2S1 → BMP2 ×1, BMP2 → 2S1 ×1');
    expect(confusionLine([])).toBe('none');
  });

  it('shows a method’s pooled matrix with the run view’s heatmap and a tooltip that counts over seeds', () => {
    const option = pooledConfusionOption(ce, classes, 'counts');
    const cells = (option.series as { data: [number, number, number][] }[])[0].data;
    // [predicted, true, count] of [[19, 1, 0], [1, 19, 0], [0, 5, 15]].
    expect(cells).toEqual([[0, 0, 19], [1, 0, 1], [2, 0, 0], [0, 1, 1], [1, 1, 19], [2, 1, 0], [0, 2, 0], [1, 2, 5], [2, 2, 15]]);
    expect(option.visualMap).toMatchObject({ min: 0, max: 19 });
    expect(formatter(option)({ value: [1, 2, 5] })).toBe('true T72 → predicted BMP2<br/>5 chips (2 seeds pooled)');
    expect(formatter(option)({ value: [0, 1, 1] })).toBe('true BMP2 → predicted 2S1<br/>1 chip (2 seeds pooled)');
    const normalised = pooledConfusionOption(aurakd, classes, 'normalised');
    expect(formatter(normalised)({ value: [0, 2, 0.1] })).toBe('true T72 → predicted 2S1<br/>10.0 % of row (1 seed pooled)');
  });
});

describe('w_off by epoch', () => {
  it('builds the mean line and a band of ± the spread, clamped to 0–1', () => {
    expect(wOffBand(aurakd.wOff)).toEqual({
      mean: [[1, 0.9], [2, 0.6]],
      lower: [[1, 0.7], [2, 0.1]],
      width: [[1, 0.3], [2, 0.9]],
    });
    expect(wOffBand([{ epoch: 3, mean: 0.2, std: 0.3, seeds: 1 }]).lower).toEqual([[3, 0]]);
  });

  it('stacks the band, draws the dashed 0.5 line across the epochs, and fixes the y axis to 0–1', () => {
    const option = wOffByEpochOption(aurakd.wOff);
    const series = option.series as Series[];
    expect(series.map((s) => [s.name, s.stack ?? null, s.data])).toEqual([
      ['band base', 'band', [[1, 0.7], [2, 0.1]]],
      ['± spread over chips', 'band', [[1, 0.3], [2, 0.9]]],
      ['equal weight (0.5)', null, [[1, 0.5], [2, 0.5]]],
      ['mean w_off', null, [[1, 0.9], [2, 0.6]]],
    ]);
    expect(series[2].lineStyle?.type).toBe('dashed');
    expect(option.yAxis).toMatchObject({ name: 'w_off', min: 0, max: 1 });
    expect(option.xAxis).toMatchObject({ name: 'student epoch', min: 1, max: 2 });
    expect((option.legend as { data: string[] }).data).toEqual(['mean w_off', '± spread over chips', 'equal weight (0.5)']);
    expect(formatter(option)([{ seriesName: 'band base', dataIndex: 1 }, { seriesName: 'mean w_off', dataIndex: 1 }])).toBe('epoch 2<br/>w_off 0.600 ± 0.500 (spread over chips)<br/>1 seed');
  });

  it('shows one epoch’s spread as a whisker, with room either side', () => {
    const option = wOffByEpochOption([{ epoch: 1, mean: 0.97, std: 0.05, seeds: 2 }]);
    const series = option.series as Series[];
    expect(option.xAxis).toMatchObject({ min: 0.5, max: 1.5 });
    expect(series[2].data).toEqual([[0.5, 0.5], [1.5, 0.5]]);
    expect(series.map((s) => s.name)).toEqual(['band base', '± spread over chips', 'equal weight (0.5)', 'mean w_off', '± spread over chips']);
    expect(series[4]).toMatchObject({ type: 'line', data: [[1, 0.92], [1, 1]] });
  });
});
