/**
 * Experiment charts: mean test accuracy per method with ± one standard deviation over seeds (bars
 * with error-bar whiskers), and AURA-KD's mean test accuracy against τ with KD and CE as references.
 * Whiskers are two-point line series with flat rectangle symbols as caps, so no extra chart type is
 * needed. Values are in percent.
 */
import type { EChartsOption } from 'echarts';
import type { ExperimentTables, ResultRow } from '../../../main/api/contract.js';
import { methodLabel } from '../lib/format.js';
import { AXIS_COLOR, TEXT_COLOR, baseOption, grid, indexTooltip, round } from './theme.js';

export const EXPERIMENT_COLORS: Record<string, string> = { teacher: '#8a94a6', ce: '#2f6fdf', kd: '#e0752d', selfkd: '#2e9e6a', aurakd: '#c23b5a' };
const WHISKER_COLOR = '#1f2633';
const SPLIT_LINE = { lineStyle: { color: '#eceff4' } };
/** The y-axis name sits above the axis, starting at the axis line (a centred name is clipped at the chart's left edge). */
const Y_NAME = { name: 'test accuracy %', nameTextStyle: { align: 'left' as const } };

export interface AccuracyBar {
  /** 'teacher' or a method. */
  key: string;
  label: string;
  /** Mean test accuracy in percent (null while no seed is evaluated). */
  mean: number | null;
  /** Sample standard deviation in percent (0 for one seed). */
  std: number;
  n: number;
  planned: number;
}

export function rowLabel(row: ResultRow): string {
  return row.method === 'teacher' ? 'Offline teacher' : methodLabel(row.method);
}

/** A result table's rows for ExperimentResultsTable: the offline teacher first (a reference row), then each method. */
export function resultRows(t: ExperimentTables): { key: string; label: string; row: ResultRow; reference: boolean }[] {
  const rows = t.methods.map((row) => ({ key: row.method, label: rowLabel(row), row, reference: false }));
  return t.teacher ? [{ key: 'teacher', label: rowLabel(t.teacher), row: t.teacher, reference: true }, ...rows] : rows;
}

/** The bars to draw: the offline teacher first (when there is one), then the methods in table order. */
export function accuracyBars(tables: ExperimentTables): AccuracyBar[] {
  const rows = tables.teacher ? [tables.teacher, ...tables.methods] : tables.methods;
  return rows.map((r) => ({
    key: r.method,
    label: rowLabel(r),
    mean: r.accuracy ? round(r.accuracy.mean * 100, 2) : null,
    std: r.accuracy ? round(r.accuracy.std * 100, 2) : 0,
    n: r.n,
    planned: r.planned,
  }));
}

/** A round lower bound for an accuracy axis in percent: 10 below the lowest whisker, in steps of 10. */
export function accuracyAxisMin(lows: number[]): number {
  if (lows.length === 0) return 0;
  return Math.max(0, Math.floor((Math.min(...lows) - 5) / 10) * 10);
}

type Whisker = { name: string; type: 'line'; data: [number | string, number][]; symbol: string; symbolSize: [number, number]; silent: true; z: number; lineStyle: object; itemStyle: object; tooltip: { show: false } };

/** A vertical whisker from mean − std to mean + std at `x`, with flat caps `capWidth` px wide. */
export function whisker(x: number | string, mean: number, std: number, capWidth = 14): Whisker {
  return {
    name: '± 1 std',
    type: 'line',
    data: [
      [x, round(mean - std, 2)],
      [x, round(mean + std, 2)],
    ],
    symbol: 'rect',
    symbolSize: [capWidth, 1.5],
    silent: true,
    z: 5,
    lineStyle: { color: WHISKER_COLOR, width: 1.5 },
    itemStyle: { color: WHISKER_COLOR },
    tooltip: { show: false },
  };
}

const meanStdText = (mean: number, std: number, n: number) => `${mean.toFixed(2)} ± ${std.toFixed(2)} %${n > 1 ? '' : ' (one seed)'}`;

/** The category label under a bar: the row's name, then its mean (± std from two seeds on) or 'pending'. */
export function barAxisLabel(b: AccuracyBar): string {
  if (b.mean === null) return `{name|${b.label}}\n{pending|pending}`;
  return `{name|${b.label}}\n{value|${b.mean.toFixed(1)}${b.n > 1 ? ` ± ${b.std.toFixed(1)}` : ''} %}`;
}

/** Mean test accuracy per method (bars, coloured per method) with ± std whiskers where ≥ 2 seeds are in. */
export function methodAccuracyOption(tables: ExperimentTables): EChartsOption {
  const bars = accuracyBars(tables);
  const done = bars.filter((b): b is AccuracyBar & { mean: number } => b.mean !== null);
  const min = accuracyAxisMin(done.map((b) => b.mean - b.std));
  return {
    ...baseOption(),
    tooltip: indexTooltip((i) => {
      const b = bars[i];
      if (!b) return '';
      const seeds = `${b.n}/${b.planned} seed${b.planned === 1 ? '' : 's'} evaluated`;
      return b.mean === null ? `${b.label}<br/>pending (${seeds})` : `${b.label}<br/>test accuracy ${meanStdText(b.mean, b.std, b.n)}<br/>${seeds}`;
    }),
    grid: grid(30, 8, 8, 12),
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: AXIS_COLOR } },
      axisLabel: {
        interval: 0,
        formatter: (_: string, index: number) => (bars[index] ? barAxisLabel(bars[index]) : ''),
        rich: { name: { color: TEXT_COLOR, fontWeight: 600, lineHeight: 16 }, value: { color: '#4a5466', lineHeight: 15 }, pending: { color: AXIS_COLOR, lineHeight: 15 } },
      },
    },
    yAxis: { type: 'value', ...Y_NAME, min, max: 100, splitLine: SPLIT_LINE },
    series: [
      {
        name: 'mean test accuracy',
        type: 'bar',
        barMaxWidth: 56,
        data: bars.map((b) => ({ value: b.mean, itemStyle: { color: EXPERIMENT_COLORS[b.key] ?? '#6b7a8f' } })),
      },
      ...done.filter((b) => b.n >= 2).map((b) => whisker(b.label, b.mean, b.std)),
    ],
  };
}

export interface TauPointStats {
  tau: number;
  mean: number;
  std: number;
  n: number;
}

/** The τ sweep's evaluated points in percent, ascending τ. */
export function tauPoints(tables: ExperimentTables): TauPointStats[] {
  return tables.tau
    .filter((r): r is ResultRow & { tau: number; accuracy: NonNullable<ResultRow['accuracy']> } => r.tau !== null && r.accuracy !== null)
    .map((r) => ({ tau: r.tau, mean: round(r.accuracy.mean * 100, 2), std: round(r.accuracy.std * 100, 2), n: r.n }))
    .sort((a, b) => a.tau - b.tau);
}

/** AURA-KD mean test accuracy against τ (± std whiskers), with KD (at the base τ) and CE as dashed references. */
/** `tauOnline` > 0: the sweep moved only the offline term's τ, the online term stayed at that temperature. */
export function tauAccuracyOption(tables: ExperimentTables, baseTau: number, tauOnline = 0): EChartsOption {
  const points = tauPoints(tables);
  const taus = tables.tau.map((r) => r.tau).filter((t): t is number => t !== null);
  const span: [number, number] = taus.length ? [Math.min(...taus), Math.max(...taus)] : [baseTau, baseTau];
  const reference = (method: string, name: string) => {
    const row = tables.methods.find((r) => r.method === method);
    if (!row?.accuracy) return [];
    const y = round(row.accuracy.mean * 100, 2);
    return [{
      name,
      type: 'line' as const,
      data: [[span[0], y], [span[1], y]],
      symbol: 'none',
      color: EXPERIMENT_COLORS[method],
      lineStyle: { type: 'dashed' as const, width: 1.5 },
      tooltip: { show: false },
    }];
  };
  const refs = [...reference('kd', `KD (τ ${baseTau})`), ...reference('ce', 'CE')];
  const lows = [...points.map((p) => p.mean - p.std), ...refs.map((r) => r.data[0][1])];
  return {
    ...baseOption(),
    tooltip: indexTooltip((i) => {
      const p = points[i];
      return p ? `AURA-KD, τ ${p.tau}<br/>test accuracy ${meanStdText(p.mean, p.std, p.n)}<br/>${p.n} seed${p.n === 1 ? '' : 's'}` : '';
    }),
    legend: { top: 0, right: 0, itemWidth: 16, itemHeight: 8, data: ['AURA-KD', ...refs.map((r) => r.name)] },
    grid: grid(30, 26, 8, 16),
    xAxis: { type: 'value', name: tauOnline > 0 ? `τ of the offline term (online term at τ ${tauOnline})` : 'τ', nameLocation: 'middle', nameGap: 24, min: 0, max: Math.ceil(span[1] + 1), axisLine: { lineStyle: { color: AXIS_COLOR } }, splitLine: SPLIT_LINE },
    yAxis: { type: 'value', ...Y_NAME, min: accuracyAxisMin(lows), max: 100, splitLine: SPLIT_LINE },
    series: [
      { name: 'AURA-KD', type: 'line', symbolSize: 8, color: EXPERIMENT_COLORS.aurakd, z: 4, data: points.map((p) => [p.tau, p.mean]) },
      ...points.filter((p) => p.n >= 2).map((p) => whisker(p.tau, p.mean, p.std, 10)),
      ...refs,
    ],
  };
}
