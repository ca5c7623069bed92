/** Per-class bars, reliability diagram, accuracy vs τ, and the inspector's probability bars. */
import type { EChartsOption } from 'echarts';
import type { PerClassMetrics, ReliabilityBin } from '../api/types.js';
import type { TauPoint } from '../lib/compare.js';
import { methodLabel } from '../lib/format.js';
import { AXIS_COLOR, PALETTE, baseOption, grid, round } from './theme.js';

const valueAxis = (name: string, max?: number): EChartsOption['yAxis'] => ({ type: 'value', name, min: 0, max, splitLine: { lineStyle: { color: '#eceff4' } } });

/** Precision, recall and F1 per class of one evaluation. */
export function perClassMetricsOption(perClass: PerClassMetrics[]): EChartsOption {
  const classes = perClass.map((c) => c.className);
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: grid(26, 8, 8, 8),
    xAxis: { type: 'category', data: classes, axisLabel: { interval: 0, rotate: classes.length > 6 ? 30 : 0 } },
    yAxis: valueAxis('', 1),
    series: (['precision', 'recall', 'f1'] as const).map((key, i) => ({
      name: key === 'f1' ? 'F1' : key,
      type: 'bar' as const,
      barMaxWidth: 18,
      color: PALETTE[i],
      data: perClass.map((c) => round(c[key])),
    })),
  };
}

/** F1 per class, one bar group per class, one bar per run. */
export function perClassF1Option(runs: { name: string; perClass: PerClassMetrics[] }[]): EChartsOption {
  const classes = runs[0]?.perClass.map((c) => c.className) ?? [];
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, type: 'scroll' },
    grid: grid(30, 8, 8, 8),
    xAxis: { type: 'category', data: classes, axisLabel: { interval: 0, rotate: classes.length > 6 ? 30 : 0 } },
    yAxis: valueAxis('', 1),
    series: runs.map((run) => ({
      name: run.name,
      type: 'bar' as const,
      barMaxWidth: 16,
      data: classes.map((c) => {
        const m = run.perClass.find((x) => x.className === c);
        return m ? round(m.f1) : 0;
      }),
    })),
  };
}

/** Reliability diagram: accuracy per confidence bin against the bin's mean confidence (ideal: equal). */
export function reliabilityOption(bins: ReliabilityBin[], ece: number): EChartsOption {
  const labels = bins.map((b) => `${b.lower.toFixed(1)}–${b.upper.toFixed(1)}`);
  return {
    ...baseOption(),
    title: { text: `ECE ${(ece * 100).toFixed(2)} %`, right: 0, top: 0, textStyle: { fontSize: 12, fontWeight: 600, color: '#3b4352' } },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (params: unknown) => {
        const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
        const b = bins[i];
        if (!b || b.count === 0) return `${labels[i] ?? ''}<br/>no chips`;
        return `confidence ${labels[i]}<br/>${b.count} chips<br/>accuracy ${(b.accuracy * 100).toFixed(1)} %<br/>mean confidence ${(b.meanConfidence * 100).toFixed(1)} %`;
      },
    },
    legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8 },
    grid: grid(30, 24, 8, 8),
    xAxis: { type: 'category', data: labels, name: 'confidence', nameLocation: 'middle', nameGap: 36, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: valueAxis('', 1),
    series: [
      { name: 'accuracy', type: 'bar', barCategoryGap: '8%', color: '#2f6fdf', data: bins.map((b) => (b.count > 0 ? round(b.accuracy) : null)) },
      { name: 'mean confidence', type: 'line', symbolSize: 6, color: '#c23b5a', lineStyle: { type: 'dashed', width: 1.5 }, data: bins.map((b) => (b.count > 0 ? round(b.meanConfidence) : null)) },
    ],
  };
}

/** Accuracy against τ, one line per method present in the sweep. */
export function tauSweepOption(points: TauPoint[]): EChartsOption {
  const methods = [...new Set(points.map((p) => p.method))];
  return {
    ...baseOption(),
    tooltip: { trigger: 'item', confine: true },
    legend: { top: 0, right: 0 },
    grid: grid(28, 26, 8, 12),
    xAxis: { type: 'value', name: 'τ', nameLocation: 'middle', nameGap: 24, min: 0, axisLine: { lineStyle: { color: AXIS_COLOR } } },
    yAxis: { type: 'value', name: 'accuracy', scale: true, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: methods.map((method) => ({
      name: methodLabel(method),
      type: 'line' as const,
      symbolSize: 8,
      data: points.filter((p) => p.method === method).map((p) => [p.tau, round(p.accuracy)]),
    })),
  };
}

/** Student, offline-teacher and online-teacher class probabilities of one chip. */
export function probabilityOption(classes: string[], student: number[], offline: number[] | null, online: number[] | null, trueLabel: number, compact = false): EChartsOption {
  const series: NonNullable<EChartsOption['series']> = [
    { name: 'student', type: 'bar', barMaxWidth: 14, color: '#2f6fdf', data: student.map((v) => round(v)) },
  ];
  if (offline) series.push({ name: 'offline teacher', type: 'bar', barMaxWidth: 14, color: '#e0752d', data: offline.map((v) => round(v)) });
  if (online) series.push({ name: 'online teacher', type: 'bar', barMaxWidth: 14, color: '#2e9e6a', data: online.map((v) => round(v)) });
  return {
    ...baseOption(),
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true },
    legend: { top: 0, right: 0, itemWidth: 12, itemHeight: 8 },
    grid: grid(26, 8, 8, 8),
    xAxis: {
      type: 'category',
      data: classes.map((c, i) => (i === trueLabel ? `${c} ✓` : c)),
      axisLabel: { interval: 0, rotate: compact || classes.length > 6 ? 40 : 0, fontSize: compact ? 10 : 11 },
    },
    yAxis: valueAxis(compact ? '' : 'probability', 1),
    series,
  };
}
