import { describe, expect, it } from 'vitest';
import type { EChartsOption } from 'echarts';
import { confusionDiff, confusionDiffOption, confusionOption, heatmapCells, rowNormalise } from '../../../renderer/src/charts/confusionCharts.js';

type Series = { name: string; data: unknown[] }[];
const classes = ['a', 'b', 'c'];
const m = [
  [8, 2, 0],
  [1, 3, 0],
  [0, 0, 0],
];

describe('rowNormalise', () => {
  it('divides each row by its sum and keeps empty rows at zero', () => {
    expect(rowNormalise(m)).toEqual([
      [0.8, 0.2, 0],
      [0.25, 0.75, 0],
      [0, 0, 0],
    ]);
  });
});

describe('heatmapCells', () => {
  it('emits [predicted, true, value] for every cell', () => {
    expect(heatmapCells([
      [1, 2],
      [3, 4],
    ])).toEqual([
      [0, 0, 1],
      [1, 0, 2],
      [0, 1, 3],
      [1, 1, 4],
    ]);
  });
});

describe('confusionOption', () => {
  it('counts mode keeps counts and scales the colour map to the largest cell', () => {
    const option = confusionOption(m, classes, 'counts');
    const series = option.series as Series;
    expect(series[0].data).toEqual([
      [0, 0, 8], [1, 0, 2], [2, 0, 0],
      [0, 1, 1], [1, 1, 3], [2, 1, 0],
      [0, 2, 0], [1, 2, 0], [2, 2, 0],
    ]);
    expect((option.visualMap as { max: number }).max).toBe(8);
    expect((option.yAxis as { inverse: boolean; data: string[] }).inverse).toBe(true);
    expect((option.xAxis as { data: string[] }).data).toEqual(classes);
  });

  it('normalised mode shows row fractions on a 0..1 scale', () => {
    const option = confusionOption(m, classes, 'normalised');
    expect((option.series as Series)[0].data.slice(0, 5)).toEqual([
      [0, 0, 0.8], [1, 0, 0.2], [2, 0, 0],
      [0, 1, 0.25], [1, 1, 0.75],
    ]);
    expect((option.visualMap as { max: number }).max).toBe(1);
  });
});

describe('confusionDiff', () => {
  it('is row-normalised B minus A', () => {
    const b = [
      [9, 1, 0],
      [0, 4, 0],
      [0, 0, 0],
    ];
    const d = confusionDiff(m, b);
    expect(d.map((row) => row.map((v) => Math.round(v * 1000) / 1000))).toEqual([
      [0.1, -0.1, 0],
      [-0.25, 0.25, 0],
      [0, 0, 0],
    ]);
    const option = confusionDiffOption(m, b, classes);
    expect((option.series as Series)[0].data.slice(0, 4)).toEqual([
      [0, 0, 0.1], [1, 0, -0.1], [2, 0, 0],
      [0, 1, -0.25],
    ]);
    expect(option.visualMap).toMatchObject({ min: -0.25, max: 0.25 });
  });

  it('refuses matrices of different size', () => {
    expect(() => confusionDiff([[1]], m)).toThrow('different class counts');
  });
});

describe('confusion tooltips', () => {
  const tip = (option: EChartsOption, value: [number, number, number]) => (option.tooltip as { formatter: (p: unknown) => string }).formatter({ value });
  it('name the true and predicted class of the cell and its value', () => {
    expect(tip(confusionOption([[3, 1], [0, 4]], ['a', 'b'], 'counts'), [1, 0, 1])).toBe('true a → predicted b<br/>1 chips<br/><i>click to see the chips</i>');
    expect(tip(confusionOption([[3, 1], [0, 4]], ['a', 'b'], 'normalised'), [1, 0, 0.25])).toBe('true a → predicted b<br/>25.0 % of row<br/><i>click to see the chips</i>');
    expect(tip(confusionDiffOption([[3, 1], [0, 4]], [[2, 2], [0, 4]], ['a', 'b']), [1, 0, 0.25])).toBe('true a → predicted b<br/>+25.0 points of the row');
  });
});
