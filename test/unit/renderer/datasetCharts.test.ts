import { describe, expect, it } from 'vitest';
import { classBalanceOption, sizeBins, sizeHistogramOption } from '../../../renderer/src/charts/datasetCharts.js';

type Series = { name: string; data: unknown[]; stack?: string }[];

describe('classBalanceOption', () => {
  it('stacks train/val/test counts per class in class order', () => {
    const option = classBalanceOption(['bmp2', 'btr70', 't72'], { train: [10, 20, 30], val: [1, 2, 3], test: [4, 5, 6] });
    expect((option.xAxis as { data: string[] }).data).toEqual(['bmp2', 'btr70', 't72']);
    const series = option.series as Series;
    expect(series.map((s) => s.name)).toEqual(['train', 'val', 'test']);
    expect(series.map((s) => s.data)).toEqual([
      [10, 20, 30],
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(new Set(series.map((s) => s.stack))).toEqual(new Set(['chips']));
  });

  it('fills a missing split with zeros', () => {
    const option = classBalanceOption(['a', 'b'], { train: [3, 4], val: [], test: [1] } as never);
    expect((option.series as Series).map((s) => s.data)).toEqual([
      [3, 4],
      [0, 0],
      [1, 0],
    ]);
  });
});

describe('sizeHistogramOption', () => {
  it('keeps sizes in order when they fit', () => {
    const option = sizeHistogramOption([
      { size: '128x128', count: 50 },
      { size: '64x64', count: 7 },
    ]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['128x128', '64x64']);
    expect((option.series as Series)[0].data).toEqual([50, 7]);
  });

  it('sums the tail into "other" beyond maxBars', () => {
    const hist = [5, 4, 3, 2, 1].map((count, i) => ({ size: `${i}x${i}`, count }));
    expect(sizeBins(hist, 3)).toEqual([
      { size: '0x0', count: 5 },
      { size: '1x1', count: 4 },
      { size: 'other', count: 6 },
    ]);
    const option = sizeHistogramOption(hist, 3);
    expect((option.series as Series)[0].data).toEqual([5, 4, 6]);
  });
});
