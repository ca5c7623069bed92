/** Training curves (live batches or stored epochs): losses, accuracy, and w_off mean ± spread. */
import type { EChartsOption } from 'echarts';
import type { EpochMetrics } from '../api/types.js';
import type { LivePoint, Phase } from '../lib/liveSeries.js';
import { CURVE_COLORS, baseOption, grid, round } from './theme.js';

/** One x position of a curve: a batch (fractional epoch) or an epoch end. */
export interface CurvePoint {
  x: number;
  ce: number;
  off: number;
  on: number;
  total: number;
  accuracy: number;
  valAccuracy: number | null;
  wOffMean: number;
  wOffStd: number;
}

export function pointsFromEpochs(epochs: EpochMetrics[], phase: Phase): CurvePoint[] {
  return epochs
    .filter((e) => e.phase === phase)
    .map((e) => ({
      x: e.epoch,
      ce: e.loss.ce,
      off: e.loss.off,
      on: e.loss.on,
      total: e.loss.total,
      accuracy: e.trainAccuracy,
      valAccuracy: e.valAccuracy,
      wOffMean: e.wOff.mean,
      wOffStd: e.wOff.std,
    }));
}

export function pointsFromBatches(batches: LivePoint[], phase: Phase): CurvePoint[] {
  return batches.filter((b) => b.phase === phase).map((b) => ({ ...b, valAccuracy: null }));
}

/** Batch curves start at epoch 0 (nothing seen yet); per-epoch curves at epoch 1. */
const xAxis = (name: string, min = name === 'epoch' ? 1 : 0): EChartsOption['xAxis'] => ({ type: 'value', name, nameLocation: 'middle', nameGap: 22, min, minInterval: name === 'epoch' ? 1 : undefined, splitLine: { show: false } });
const lineStyle = { width: 1.6 };

/** CE, offline KD (l_off) and online KD (l_on); the KD lines only when they are non-zero somewhere. */
export function lossCurvesOption(points: CurvePoint[], xName = 'epoch'): EChartsOption {
  const series: NonNullable<EChartsOption['series']> = [
    { name: 'CE', type: 'line', showSymbol: points.length <= 20, lineStyle, color: CURVE_COLORS.ce, data: points.map((p) => [round(p.x), round(p.ce)]) },
  ];
  if (points.some((p) => p.off !== 0))
    series.push({ name: 'offline KD', type: 'line', showSymbol: points.length <= 20, lineStyle, color: CURVE_COLORS.off, data: points.map((p) => [round(p.x), round(p.off)]) });
  if (points.some((p) => p.on !== 0))
    series.push({ name: 'online KD', type: 'line', showSymbol: points.length <= 20, lineStyle, color: CURVE_COLORS.on, data: points.map((p) => [round(p.x), round(p.on)]) });
  return {
    ...baseOption(),
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8 },
    grid: grid(28, 24, 8, 12),
    xAxis: xAxis(xName),
    yAxis: { type: 'value', name: 'loss', scale: false, splitLine: { lineStyle: { color: '#eceff4' } } },
    series,
  };
}

/** Training accuracy (per batch or epoch) and validation accuracy (epochs only, as points). */
export function accuracyCurvesOption(points: CurvePoint[], xName = 'epoch'): EChartsOption {
  const val = points.filter((p) => p.valAccuracy !== null);
  const series: NonNullable<EChartsOption['series']> = [
    { name: 'train accuracy', type: 'line', showSymbol: points.length <= 20, lineStyle, color: CURVE_COLORS.accuracy, data: points.map((p) => [round(p.x), round(p.accuracy)]) },
  ];
  if (val.length > 0)
    series.push({ name: 'val accuracy', type: 'line', symbolSize: 6, lineStyle, color: CURVE_COLORS.val, data: val.map((p) => [round(p.x), round(p.valAccuracy as number)]) });
  return {
    ...baseOption(),
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8 },
    grid: grid(28, 24, 8, 12),
    xAxis: xAxis(xName),
    yAxis: { type: 'value', name: 'accuracy', min: 0, max: 1, splitLine: { lineStyle: { color: '#eceff4' } } },
    series,
  };
}

/**
 * w_off over time: the mean as a line and mean ± std as a band
 * (a transparent lower series with the band's width stacked on top).
 */
export function wOffOption(points: CurvePoint[], xName = 'epoch'): EChartsOption {
  const lower = points.map((p) => [round(p.x), round(Math.max(0, p.wOffMean - p.wOffStd))]);
  const width = points.map((p) => {
    const lo = Math.max(0, p.wOffMean - p.wOffStd);
    const hi = Math.min(1, p.wOffMean + p.wOffStd);
    return [round(p.x), round(hi - lo)];
  });
  return {
    ...baseOption(),
    legend: { top: 0, right: 0, itemWidth: 14, itemHeight: 8, data: ['w_off mean', 'mean ± std'] },
    grid: grid(28, 24, 8, 12),
    xAxis: xAxis(xName),
    yAxis: { type: 'value', name: 'w_off', min: 0, max: 1, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: [
      { name: 'band base', type: 'line', stack: 'band', showSymbol: false, lineStyle: { opacity: 0 }, data: lower, tooltip: { show: false } },
      { name: 'mean ± std', type: 'line', stack: 'band', showSymbol: false, lineStyle: { opacity: 0 }, color: CURVE_COLORS.wOff, areaStyle: { color: CURVE_COLORS.wOff, opacity: 0.18 }, data: width },
      { name: 'w_off mean', type: 'line', showSymbol: points.length <= 20, lineStyle, color: CURVE_COLORS.wOff, data: points.map((p) => [round(p.x), round(p.wOffMean)]) },
    ],
  };
}

export type OverlayMetric = 'valAccuracy' | 'trainAccuracy' | 'ce' | 'off' | 'on' | 'wOffMean';

export const OVERLAY_METRICS: { key: OverlayMetric; label: string }[] = [
  { key: 'valAccuracy', label: 'Validation accuracy' },
  { key: 'trainAccuracy', label: 'Training accuracy' },
  { key: 'ce', label: 'CE loss' },
  { key: 'off', label: 'Offline KD loss' },
  { key: 'on', label: 'Online KD loss' },
  { key: 'wOffMean', label: 'w_off mean' },
];

function overlayValue(e: EpochMetrics, metric: OverlayMetric): number | null {
  switch (metric) {
    case 'valAccuracy':
      return e.valAccuracy;
    case 'trainAccuracy':
      return e.trainAccuracy;
    case 'wOffMean':
      return e.wOff.mean;
    default:
      return e.loss[metric];
  }
}

/** One line per run (student phase, per epoch) for the chosen metric. */
export function overlaidCurvesOption(runs: { name: string; epochs: EpochMetrics[] }[], metric: OverlayMetric): EChartsOption {
  const isRate = metric === 'valAccuracy' || metric === 'trainAccuracy' || metric === 'wOffMean';
  return {
    ...baseOption(),
    legend: { top: 0, type: 'scroll' },
    grid: grid(30, 24, 8, 12),
    xAxis: xAxis('epoch'),
    yAxis: { type: 'value', min: isRate ? 0 : undefined, max: isRate ? 1 : undefined, splitLine: { lineStyle: { color: '#eceff4' } } },
    series: runs.map((run) => ({
      name: run.name,
      type: 'line' as const,
      symbolSize: 5,
      lineStyle,
      data: run.epochs
        .filter((e) => e.phase === 'student')
        .flatMap((e) => {
          const v = overlayValue(e, metric);
          return v === null ? [] : [[e.epoch, round(v)]];
        }),
    })),
  };
}
