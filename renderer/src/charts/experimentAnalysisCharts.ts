/**
 * What lies behind an experiment's table, per method over its finished seeds: per-class test recall
 * (a class × method heatmap with each method's weakest class outlined), the most frequent
 * confusions as one line, the pooled confusion matrix, and AURA-KD's w_off by epoch (mean with a ±
 * spread band and the 0.5 line where both teachers count equally). Recall values are in percent.
 */
import type { EChartsOption } from 'echarts';
import type { Confusion, MethodAnalysis, WOffPoint } from '../../../main/api/contract.js';
import { methodLabel } from '../lib/format.js';
import { confusionOption, type ConfusionMode } from './confusionCharts.js';
import { EXPERIMENT_COLORS, whisker } from './experimentCharts.js';
import { AXIS_COLOR, TEXT_COLOR, baseOption, cellTooltip, grid, round } from './theme.js';

export interface ExperimentAnalysis {
  classes: string[];
  methods: MethodAnalysis[];
}

/** Methods with at least one finished seed, in plan order. */
export function analysedMethods(analysis: ExperimentAnalysis): MethodAnalysis[] {
  return analysis.methods.filter((m) => m.seeds > 0);
}

export interface RecallGrid {
  /** Column labels ('AURA-KD'). */
  methods: string[];
  classes: string[];
  /** [method column, class row, recall %] with one decimal. */
  cells: [number, number, number][];
  /** Per method column: the class rows holding its lowest recall (empty when every class is equal). */
  weakest: number[][];
  seeds: number[];
}

/** Per-class recall per analysed method in percent, and where each method is weakest. */
export function recallGrid(analysis: ExperimentAnalysis): RecallGrid {
  const methods = analysedMethods(analysis);
  const cells: [number, number, number][] = [];
  const weakest = methods.map((m, col) => {
    const values = analysis.classes.map((_, row) => round((m.recall[row] ?? 0) * 100, 1));
    values.forEach((v, row) => cells.push([col, row, v]));
    const low = Math.min(...values);
    return low === Math.max(...values) ? [] : values.flatMap((v, row) => (v === low ? [row] : []));
  });
  return { methods: methods.map((m) => methodLabel(m.method)), classes: [...analysis.classes], cells, weakest, seeds: methods.map((m) => m.seeds) };
}

/** The recall colour scale's lower end: a multiple of 10 at or below the lowest recall, at most 90. */
export function recallScaleMin(values: number[]): number {
  if (values.length === 0) return 0;
  return Math.min(90, Math.max(0, Math.floor(Math.min(...values) / 10) * 10));
}

/** Red (weak) → pale → green (strong); the ends stay light enough for dark labels. */
const RECALL_COLORS = ['#dc6b83', '#f2b8a8', '#f8f4ea', '#cfe8d9', '#86c7a3'];

export function recallHeatmapOption(analysis: ExperimentAnalysis): EChartsOption {
  const g = recallGrid(analysis);
  const min = recallScaleMin(g.cells.map((c) => c[2]));
  const isWeakest = (col: number, row: number) => g.weakest[col]?.includes(row) ?? false;
  return {
    ...baseOption(),
    tooltip: cellTooltip(([col, row, v]) => {
      const seeds = g.seeds[col];
      return `${g.methods[col]} · true ${g.classes[row]}<br/>recall ${v.toFixed(1)} % (mean over ${seeds} seed${seeds === 1 ? '' : 's'})${isWeakest(col, row) ? `<br/><b>weakest class of ${g.methods[col]}</b>` : ''}`;
    }),
    grid: { top: 40, bottom: 8, left: 8, right: 56, containLabel: true },
    xAxis: {
      type: 'category',
      position: 'top',
      data: g.methods,
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: {
        interval: 0,
        formatter: (label: string, col: number) => `{name|${label}}\n{seeds|${g.seeds[col]} seed${g.seeds[col] === 1 ? '' : 's'}}`,
        rich: { name: { color: TEXT_COLOR, fontWeight: 600, lineHeight: 15 }, seeds: { color: AXIS_COLOR, lineHeight: 13, fontSize: 10 } },
      },
    },
    yAxis: { type: 'category', data: g.classes, inverse: true, axisTick: { show: false }, axisLine: { show: false }, axisLabel: { interval: 0, color: TEXT_COLOR } },
    visualMap: {
      min,
      max: 100,
      calculable: false,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemWidth: 12,
      itemHeight: 120,
      precision: 0,
      text: ['100 %', `${min} %`],
      textStyle: { color: AXIS_COLOR, fontSize: 10 },
      inRange: { color: RECALL_COLORS },
    },
    series: [
      {
        name: 'recall %',
        type: 'heatmap',
        data: g.cells.map(([col, row, v]) =>
          isWeakest(col, row)
            ? { value: [col, row, v], itemStyle: { borderColor: '#1f2633', borderWidth: 2 }, label: { fontWeight: 700 } }
            : { value: [col, row, v], itemStyle: { borderColor: '#ffffff', borderWidth: 1 } },
        ),
        label: { show: true, fontSize: 11, color: TEXT_COLOR, formatter: (p: unknown) => (p as { value: [number, number, number] }).value[2].toFixed(1) },
        emphasis: { itemStyle: { borderColor: '#1f2633', borderWidth: 1 } },
      },
    ],
  };
}

/** 'T72 → T62 ×4' (the CLI's wording). */
export function confusionLabel(c: Confusion): string {
  return `${c.trueClass} → ${c.predictedClass} ×${c.count}`;
}

/** 'T72 → T62 ×4, BMP2 → BTR70 ×3', 'none' when every test chip was right. */
export function confusionLine(top: readonly Confusion[]): string {
  return top.length ? top.map(confusionLabel).join(', ') : 'none';
}

/** A method's pooled test confusion matrix (the run view's heatmap, with a tooltip that counts over seeds). */
export function pooledConfusionOption(m: MethodAnalysis, classes: string[], mode: ConfusionMode): EChartsOption {
  const base = confusionOption(m.confusion, classes, mode);
  const seeds = `${m.seeds} seed${m.seeds === 1 ? '' : 's'}`;
  return {
    ...base,
    tooltip: cellTooltip(([pred, truth, v]) => {
      const shown = mode === 'normalised' ? `${(v * 100).toFixed(1)} % of row` : `${v} chip${v === 1 ? '' : 's'}`;
      return `true ${classes[truth]} → predicted ${classes[pred]}<br/>${shown} (${seeds} pooled)`;
    }),
  };
}

export interface WOffBand {
  /** [epoch, value] pairs. */
  mean: [number, number][];
  /** Lower edge of the band, clamped to 0. */
  lower: [number, number][];
  /** Band height stacked on `lower` (upper edge clamped to 1). */
  width: [number, number][];
}

/** The w_off mean line and its ± spread band, ready for stacking. */
export function wOffBand(points: readonly WOffPoint[]): WOffBand {
  const lo = (p: WOffPoint) => Math.max(0, p.mean - p.std);
  const hi = (p: WOffPoint) => Math.min(1, p.mean + p.std);
  return {
    mean: points.map((p) => [p.epoch, round(p.mean)]),
    lower: points.map((p) => [p.epoch, round(lo(p))]),
    width: points.map((p) => [p.epoch, round(hi(p) - lo(p))]),
  };
}

const W_OFF_COLOR = EXPERIMENT_COLORS.aurakd;

/** One epoch's spread as a whisker from `lo` to `hi` (a band needs two epochs). */
function spreadWhisker(epoch: number, lo: number, hi: number) {
  return { ...whisker(epoch, (lo + hi) / 2, (hi - lo) / 2, 12), name: '± spread over chips', lineStyle: { color: W_OFF_COLOR, width: 1.5 }, itemStyle: { color: W_OFF_COLOR } };
}
const EQUAL_NAME = 'equal weight (0.5)';

/** AURA-KD's w_off by student epoch: the mean over seeds, a band of ± the mean spread over chips, and the dashed 0.5 line. */
export function wOffByEpochOption(points: readonly WOffPoint[]): EChartsOption {
  const band = wOffBand(points);
  const epochs = points.map((p) => p.epoch);
  const first = epochs.length ? Math.min(...epochs) : 1;
  const last = epochs.length ? Math.max(...epochs) : 1;
  // One epoch has no band to draw: its spread becomes a whisker, and the axis gets room either side.
  const single = first === last;
  const span: [number, number] = single ? [first - 0.5, last + 0.5] : [first, last];
  return {
    ...baseOption(),
    tooltip: {
      trigger: 'axis',
      confine: true,
      formatter: (params: unknown) => {
        const list = params as { dataIndex: number; seriesName: string }[];
        const hit = list.find((x) => x.seriesName === 'mean w_off') ?? list[0];
        const p = hit ? points[hit.dataIndex] : undefined;
        return p ? `epoch ${p.epoch}<br/>w_off ${p.mean.toFixed(3)} ± ${p.std.toFixed(3)} (spread over chips)<br/>${p.seeds} seed${p.seeds === 1 ? '' : 's'}` : '';
      },
    },
    legend: { top: 0, right: 0, itemWidth: 16, itemHeight: 8, data: ['mean w_off', '± spread over chips', EQUAL_NAME] },
    grid: grid(28, 26, 8, 16),
    xAxis: {
      type: 'value',
      name: 'student epoch',
      nameLocation: 'middle',
      nameGap: 24,
      min: span[0],
      max: span[1],
      minInterval: 1,
      axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? String(v) : '') },
      axisLine: { lineStyle: { color: AXIS_COLOR } },
      splitLine: { show: false },
    },
    yAxis: { type: 'value', name: 'w_off', min: 0, max: 1, interval: 0.25, nameTextStyle: { align: 'left' }, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: [
      { name: 'band base', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, data: band.lower, tooltip: { show: false }, silent: true },
      { name: '± spread over chips', type: 'line', stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, color: W_OFF_COLOR, areaStyle: { color: W_OFF_COLOR, opacity: 0.16 }, data: band.width, silent: true },
      {
        name: EQUAL_NAME,
        type: 'line',
        data: [[span[0], 0.5], [span[1], 0.5]],
        symbol: 'none',
        color: AXIS_COLOR,
        lineStyle: { type: 'dashed', width: 1.2 },
        tooltip: { show: false },
        silent: true,
      },
      { name: 'mean w_off', type: 'line', symbolSize: 6, showSymbol: points.length <= 30, color: W_OFF_COLOR, lineStyle: { width: 2 }, z: 4, data: band.mean },
      ...(single && points.length ? [spreadWhisker(first, band.lower[0][1], band.lower[0][1] + band.width[0][1])] : []),
    ],
  };
}
