/** Confusion-matrix heatmaps: counts or row-normalised, and the difference of two runs. */
import type { EChartsOption } from 'echarts';
import { baseOption, cellTooltip, round } from './theme.js';

/** Each row divided by its sum (a row with no chips stays all zeros). */
export function rowNormalise(confusion: number[][]): number[][] {
  return confusion.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** Heatmap cells [predicted, true, value] for ECharts. */
export function heatmapCells(matrix: number[][], digits = 4): [number, number, number][] {
  const cells: [number, number, number][] = [];
  matrix.forEach((row, t) => row.forEach((v, p) => cells.push([p, t, round(v, digits)])));
  return cells;
}

function axes(classes: string[]): Pick<EChartsOption, 'xAxis' | 'yAxis'> {
  const rotate = classes.length > 5 ? 35 : 0;
  return {
    xAxis: { type: 'category', data: classes, name: 'predicted', nameLocation: 'middle', nameGap: rotate ? 46 : 26, axisLabel: { interval: 0, rotate }, splitArea: { show: true } },
    yAxis: { type: 'category', data: classes, name: 'true', nameLocation: 'middle', nameGap: 58, inverse: true, axisLabel: { interval: 0 }, splitArea: { show: true } },
  };
}

export type ConfusionMode = 'counts' | 'normalised';

export function confusionOption(confusion: number[][], classes: string[], mode: ConfusionMode): EChartsOption {
  const matrix = mode === 'normalised' ? rowNormalise(confusion) : confusion;
  const max = mode === 'normalised' ? 1 : Math.max(1, ...confusion.flat());
  const small = classes.length > 8;
  return {
    ...baseOption(),
    tooltip: cellTooltip(([pred, truth, v]) => {
      const shown = mode === 'normalised' ? `${(v * 100).toFixed(1)} % of row` : `${v} chips`;
      return `true ${classes[truth]} → predicted ${classes[pred]}<br/>${shown}<br/><i>click to see the chips</i>`;
    }),
    grid: { top: 8, bottom: 8, left: 8, right: 64, containLabel: true },
    ...axes(classes),
    visualMap: { min: 0, max, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 140, inRange: { color: ['#f4f7fb', '#9cc0f0', '#2f6fdf', '#163c86'] }, text: [mode === 'normalised' ? '1' : String(max), '0'] },
    series: [
      {
        name: mode === 'normalised' ? 'row-normalised' : 'counts',
        type: 'heatmap',
        data: heatmapCells(matrix, mode === 'normalised' ? 4 : 0),
        label: {
          show: classes.length <= 12,
          fontSize: small ? 9 : 11,
          formatter: (p: unknown) => {
            const v = (p as { value: [number, number, number] }).value[2];
            if (mode === 'normalised') return v === 0 ? '' : (v * 100).toFixed(0);
            return v === 0 ? '' : String(v);
          },
        },
        emphasis: { itemStyle: { borderColor: '#111', borderWidth: 1 } },
      },
    ],
  };
}

/** Row-normalised B − A: positive (red) where run B puts more of a class than run A. */
export function confusionDiff(a: number[][], b: number[][]): number[][] {
  if (a.length !== b.length) throw new Error('The two confusion matrices have different class counts.');
  const na = rowNormalise(a);
  const nb = rowNormalise(b);
  return nb.map((row, t) => row.map((v, p) => v - na[t][p]));
}

export function confusionDiffOption(a: number[][], b: number[][], classes: string[]): EChartsOption {
  const diff = confusionDiff(a, b);
  const extent = Math.max(0.05, ...diff.flat().map(Math.abs));
  return {
    ...baseOption(),
    tooltip: cellTooltip(([pred, truth, v]) => `true ${classes[truth]} → predicted ${classes[pred]}<br/>${v > 0 ? '+' : ''}${(v * 100).toFixed(1)} points of the row`),
    grid: { top: 8, bottom: 8, left: 8, right: 64, containLabel: true },
    ...axes(classes),
    visualMap: { min: -round(extent), max: round(extent), calculable: false, right: 0, top: 'middle', itemHeight: 140, inRange: { color: ['#2f6fdf', '#f7f7f7', '#c23b5a'] }, text: ['B more', 'A more'] },
    series: [
      {
        name: 'B − A',
        type: 'heatmap',
        data: heatmapCells(diff, 4),
        label: {
          show: classes.length <= 12,
          fontSize: classes.length > 8 ? 9 : 11,
          formatter: (p: unknown) => {
            const v = (p as { value: [number, number, number] }).value[2];
            return Math.abs(v) < 0.005 ? '' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(0)}`;
          },
        },
      },
    ],
  };
}
