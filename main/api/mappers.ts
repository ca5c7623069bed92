/** Store records → API DTOs (timestamps as ISO strings, chip URLs filled in). */
import type { ChipRef, ChipRecord, DatasetSummary, EvaluationDto, ModelSummary, RunSummary } from './contract.js';
import type { DatasetRecord, EvaluationRecord, PredictionRow, RunRecord } from '../store/index.js';
import type { PreprocessConfig } from '../data/types.js';

export type ChipUrl = (ref: ChipRef) => string;

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toDatasetSummary(d: DatasetRecord): DatasetSummary {
  return {
    id: d.id,
    name: d.name,
    root: d.sourceRoot,
    layout: d.layout,
    classes: d.classes,
    preprocess: d.preprocess,
    contentHash: d.contentHash,
    createdAt: iso(d.createdAt)!,
    sampleCount: d.splitCounts.train + d.splitCounts.val + d.splitCounts.test,
    splitCounts: d.splitCounts,
    skipped: d.skipped,
  };
}

export function toRunSummary(r: RunRecord): RunSummary {
  return {
    id: r.id,
    name: r.name,
    datasetId: r.datasetId,
    datasetName: r.datasetName,
    method: r.method,
    student: r.student,
    teacher: r.teacher ?? '',
    status: r.status,
    backend: r.backend,
    seed: r.seed,
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    error: r.error,
    tags: r.tags,
    note: r.note,
    valAccuracy: r.valAccuracy,
    testAccuracy: r.testAccuracy,
    balancedAccuracy: r.balancedAccuracy,
    macroF1: r.macroF1,
    ece: r.ece,
    durationSec: r.durationSec,
    sweepId: r.sweepId,
    parentRunId: r.parentRunId,
    teacherModelId: r.teacherModelId,
  };
}

export function toEvaluationDto(e: EvaluationRecord): EvaluationDto {
  return {
    id: e.id,
    runId: e.runId,
    split: e.split,
    classes: e.classes,
    n: e.n,
    accuracy: e.accuracy,
    balancedAccuracy: e.balancedAccuracy,
    macroF1: e.macroF1,
    ece: e.ece,
    confusion: e.confusion,
    perClass: e.perClass,
    reliability: e.reliability,
    createdAt: iso(e.createdAt)!,
  };
}

export function toChipRecord(
  p: PredictionRow & { sample?: { width: number; height: number } | null },
  classes: string[],
  datasetId: number,
  chipUrl: ChipUrl,
): ChipRecord {
  const { sampleId: _s, path: _p, confidence: _c, disagreement: _d, ...prediction } = p;
  return {
    ...prediction,
    evaluationId: p.evaluationId,
    className: classes[p.label] ?? String(p.label),
    predictedName: classes[p.predicted] ?? String(p.predicted),
    width: p.sample?.width ?? 0,
    height: p.sample?.height ?? 0,
    url: chipUrl({ kind: 'sample', datasetId, key: p.key }),
  };
}

export function toModelSummary(m: {
  id: number;
  runId: number | null;
  runName: string | null;
  kind: ModelSummary['kind'];
  dir: string;
  meta: Record<string, unknown>;
  testAccuracy: number | null;
  createdAt: number;
}): ModelSummary {
  const meta = m.meta as { backbone?: string; method?: string; classes?: string[]; inputSize?: number; channels?: number; preprocess?: Partial<PreprocessConfig> };
  return {
    id: m.id,
    runId: m.runId,
    runName: m.runName,
    kind: m.kind,
    dir: m.dir,
    backbone: meta.backbone ?? 'unknown',
    method: meta.method ?? null,
    classes: meta.classes ?? [],
    inputSize: meta.inputSize ?? 0,
    channels: meta.channels ?? 0,
    intensity: meta.preprocess?.intensity ?? null,
    normalise: meta.preprocess?.normalise ?? null,
    // A run's test evaluation is its student's: a teacher or an imported model has no test score here.
    accuracy: m.kind === 'student' ? m.testAccuracy : null,
    createdAt: iso(m.createdAt)!,
  };
}
