/** Records the run history returns. Timestamps are milliseconds since the Unix epoch. */
import type { ChipFormat, ImportReport, PreprocessConfig, SkippedFile, Split } from '../data/types.js';
import type { Backbone, BackendName, Method, TrainConfig } from '../engine/config.js';
import type {
  ChipPrediction,
  EpochMetrics,
  PerClassMetrics,
  ReliabilityBin,
  TrainPhase,
} from '../engine/types.js';

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'];

/** 'imported': a model the user imported from a folder; it has no run. The other kinds always have one. */
export type ModelKind = 'student' | 'teacher' | 'online' | 'imported';
export const MODEL_KINDS: readonly ModelKind[] = ['student', 'teacher', 'online', 'imported'];

export type ClassificationStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export const CLASSIFICATION_STATUSES: readonly ClassificationStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

/** A page of a longer list. `total` counts every row that matches, not only this page. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageRequest {
  /** 1..1000, default 50. */
  limit?: number;
  /** >= 0, default 0. */
  offset?: number;
}

// ---- datasets ----

export interface NewDataset {
  name: string;
  report: ImportReport;
  preprocess: PreprocessConfig;
}

export interface DatasetRecord {
  id: number;
  name: string;
  sourceRoot: string;
  layout: ImportReport['layout'];
  classes: string[];
  preprocess: PreprocessConfig;
  splitCounts: Record<Split, number>;
  /** classCounts[split][label]. */
  classCounts: Record<Split, number[]>;
  contentHash: string;
  skipped: SkippedFile[];
  createdAt: number;
}

export interface StoredSample {
  id: number;
  datasetId: number;
  key: string;
  path: string;
  className: string;
  label: number;
  split: Split;
  width: number;
  height: number;
  channels: number;
  format: ChipFormat;
  group: string | null;
  geo: { lat: number; lon: number } | null;
}

export interface SampleQuery extends PageRequest {
  label?: number;
  split?: Split;
}

export interface DatasetStats {
  datasetId: number;
  classes: string[];
  /** classCounts[split][label]. */
  classCounts: Record<Split, number[]>;
  splitCounts: Record<Split, number>;
  /** Chip sizes over the whole dataset, most frequent first (ties: width, height ascending). */
  sizes: Array<{ width: number; height: number; count: number }>;
  /** Chip sizes per class (label ascending, then width, height ascending). */
  sizesByClass: Array<{ label: number; width: number; height: number; count: number }>;
}

// ---- runs ----

export interface NewRun {
  datasetId: number;
  name: string;
  config: TrainConfig;
  note?: string;
  tags?: string[];
  /** The run this one retrains / derives from. */
  parentRunId?: number | null;
  /** Groups runs launched together by a sweep. */
  sweepId?: string | null;
  /** The saved model this run distils from (KD and AURA-KD only); the job loads exactly it. */
  teacherModelId?: number | null;
}

export interface RunRecord {
  id: number;
  datasetId: number;
  datasetName: string;
  name: string;
  method: Method;
  student: Backbone;
  /** Offline teacher backbone; null for methods without one (ce, selfkd). */
  teacher: Backbone | null;
  config: TrainConfig;
  seed: number;
  backend: BackendName | null;
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  error: string | null;
  bestEpoch: number | null;
  valAccuracy: number | null;
  testAccuracy: number | null;
  balancedAccuracy: number | null;
  macroF1: number | null;
  ece: number | null;
  durationSec: number | null;
  note: string;
  parentRunId: number | null;
  sweepId: string | null;
  /** The saved model the run distils from, when one was chosen (it may have been deleted since). */
  teacherModelId: number | null;
  /** Sorted ascending. */
  tags: string[];
}

export type RunSortKey =
  | 'id'
  | 'name'
  | 'createdAt'
  | 'startedAt'
  | 'endedAt'
  | 'valAccuracy'
  | 'testAccuracy'
  | 'balancedAccuracy'
  | 'macroF1'
  | 'ece'
  | 'durationSec';

export interface RunQuery extends PageRequest {
  datasetId?: number;
  method?: Method | Method[];
  status?: RunStatus | RunStatus[];
  tag?: string;
  /** Case-insensitive substring of the name or the note. */
  search?: string;
  sweepId?: string;
  parentRunId?: number;
  /** Default 'createdAt'. Rows with NULL in the sort column always come last. */
  sortBy?: RunSortKey;
  /** Default 'desc'. Ties are broken by id in the same direction. */
  order?: 'asc' | 'desc';
}

export interface RunFinish {
  bestEpoch?: number | null;
  valAccuracy?: number | null;
  /** Training seconds; default ended − started. */
  durationSec?: number | null;
}

export interface RunCurves {
  teacher: EpochMetrics[];
  student: EpochMetrics[];
}

// ---- evaluations / predictions ----

export interface EvaluationRecord {
  id: number;
  runId: number;
  split: Split;
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  ece: number;
  classes: string[];
  confusion: number[][];
  perClass: PerClassMetrics[];
  reliability: ReliabilityBin[];
  createdAt: number;
}

/** A stored per-chip prediction, joined with its sample's path when the sample is known. */
export interface PredictionRow extends ChipPrediction {
  evaluationId: number;
  sampleId: number | null;
  path: string | null;
  /** Max student probability. */
  confidence: number;
  /** Total-variation distance between student and offline-teacher probabilities (null without one). */
  disagreement: number | null;
}

/** One chip as the inspector shows it: the prediction and the full sample record. */
export interface ChipInspection extends PredictionRow {
  sample: StoredSample | null;
}

/**
 * entropy: student entropy, default highest first; disagreement: student vs offline teacher, default
 * highest first; wOff: offline-teacher weight, default highest first; wrongConfident: wrong chips only,
 * highest confidence first. Rows with NULL in the ranked column are left out.
 */
export type ChipRanking = 'entropy' | 'disagreement' | 'wOff' | 'wrongConfident';

export interface RankQuery extends PageRequest {
  order?: 'asc' | 'desc';
}

// ---- artifacts ----

export interface ModelRecord {
  id: number;
  /** null exactly for imported models. */
  runId: number | null;
  kind: ModelKind;
  dir: string;
  sha256: string;
  /** The model's sidecar (backbone, classes, inputSize, channels, method, preprocess); {} for models stored before schema 2. */
  meta: Record<string, unknown>;
  createdAt: number;
}

/** A model in the library list: the record plus its run's name and test accuracy (null without a run or a test score). */
export interface ModelListItem extends ModelRecord {
  runName: string | null;
  testAccuracy: number | null;
}

export interface CheckpointRecord {
  id: number;
  runId: number;
  phase: TrainPhase;
  epoch: number;
  path: string;
  sha256: string;
  createdAt: number;
}

/** Files a deletion left on disk for the caller to remove (model directories, checkpoint files). */
export interface DeletedFiles {
  files: string[];
  /** Classifications made with the deleted models, deleted with them (only with cascade). */
  classificationsDeleted: number;
}

// ---- classifications ----

export interface NewClassification {
  modelId: number;
  /** The folder of new chips. */
  folder: string;
  /** Class names in label order (the model's classes). */
  classes: string[];
}

/** A batch classification of a folder of new chips with one model (rows are read separately). */
export interface ClassificationRecord {
  id: number;
  modelId: number;
  folder: string;
  classes: string[];
  status: ClassificationStatus;
  /** Files that could not be read, with their reasons. */
  skipped: SkippedFile[];
  error: string | null;
  createdAt: number;
  /** Set when the status becomes done, failed or cancelled. */
  finishedAt: number | null;
  rowCount: number;
  flaggedCount: number;
}

export interface ClassificationStatusPatch {
  /** Required with 'failed', optional with 'cancelled', refused with any other status. */
  error?: string;
  /** Replaces the stored list. */
  skipped?: SkippedFile[];
}

export interface NewClassificationRow {
  key: string;
  path: string;
  predicted: number;
  /** One probability per class. */
  probs: number[];
  entropy: number;
  lat?: number | null;
  lon?: number | null;
}

export interface ClassificationRowRecord {
  classificationId: number;
  key: string;
  path: string;
  predicted: number;
  /** Stored as float32: values come back rounded to float32. */
  probs: number[];
  /** Max probability, computed from the float64 input at insert. */
  confidence: number;
  entropy: number;
  flagged: boolean;
  lat: number | null;
  lon: number | null;
}

// ---- comparison ----

export interface RunComparisonEntry {
  run: RunRecord;
  curves: RunCurves;
  latestVal: EvaluationRecord | null;
  latestTest: EvaluationRecord | null;
}

export interface RunComparison {
  runs: RunComparisonEntry[];
  /** Dotted config keys whose values differ between the runs, sorted; values in run order. */
  configDiff: Array<{ key: string; values: unknown[] }>;
}
