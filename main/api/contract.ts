/**
 * THE app contract: operation names, request schemas (runtime-validated), response types and event
 * names. IPC (electron/ipc.ts), the local WebSocket server (main/server.ts), the CLI and the renderer
 * (renderer/src/api) all use this one definition.
 */
import { z } from 'zod';
import { METHODS, type BackendName, type TrainConfig } from '../engine/config.js';
import type { ChipPrediction, EpochMetrics, PerClassMetrics, ReliabilityBin, TrainProgress } from '../engine/types.js';
import type { PreprocessConfig, SkippedFile, Split } from '../data/types.js';
import type { ExperimentDetailDto, ExperimentSummaryDto, PooledExperiments } from './experiment-types.js';
import { MAX_POOLED_EXPERIMENTS } from '../experiments/pooled.js';
import type { ClassificationRow, ModelSummary } from './model-types.js';

export type * from './experiment-types.js';
export type * from './model-types.js';

const id = z.number().int().positive();
const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };
const splitSchema = z.enum(['train', 'val', 'test']);
const pathString = z.string().min(1).max(4096);
const unique = (values: readonly unknown[]) => new Set(values).size === values.length;
const runStatus = z.enum(['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted']);

/** A partial TrainConfig; every field is checked against TRAIN_OPTION_SPECS by the api (config/validate). */
export const trainConfigPatch = z.record(z.string(), z.unknown());

export const operations = {
  // ---- system
  'system.info': z.strictObject({}),
  'jobs.list': z.strictObject({}),
  'jobs.get': z.strictObject({ jobId: z.string().min(1).max(64) }),
  'jobs.cancel': z.strictObject({ jobId: z.string().min(1).max(64) }),
  // ---- datasets
  'datasets.import': z.strictObject({
    root: pathString,
    /** A separate folder of test chips (`<dir>/<class>/*`); the root then gives train and validation chips only. */
    testRoot: pathString.optional(),
    name: z.string().min(1).max(200).optional(),
    valFraction: z.number().min(0).max(0.5).default(0.15),
    testFraction: z.number().min(0).max(0.5).default(0.15),
    seed: z.number().int().min(0).default(1),
    groupBy: z.enum(['none', 'scene']).default('none'),
    preprocess: z.record(z.string(), z.unknown()).optional(),
  }),
  'datasets.importDemo': z.strictObject({ seed: z.number().int().min(0).default(7), perClass: z.number().int().min(10).max(1000).default(60) }),
  'datasets.list': z.strictObject({}),
  'datasets.get': z.strictObject({ datasetId: id }),
  'datasets.chips': z.strictObject({ datasetId: id, className: z.string().max(200).optional(), split: splitSchema.optional(), ...page }),
  'datasets.delete': z.strictObject({ datasetId: id, cascade: z.boolean().default(false) }),
  // ---- runs
  'runs.start': z.strictObject({ datasetId: id, name: z.string().max(200).optional(), config: trainConfigPatch.default({}), teacherModelId: id.optional() }),
  'runs.sweep': z.strictObject({
    datasetId: id,
    name: z.string().max(200).optional(),
    config: trainConfigPatch.default({}),
    sweep: z.enum(['tau', 'methods', 'seeds']),
    values: z.array(z.union([z.number(), z.string()])).max(20).optional(),
    teacherModelId: id.optional(),
  }),
  'runs.retrain': z.strictObject({ runId: id, datasetId: id, name: z.string().max(200).optional() }),
  'runs.list': z.strictObject({
    datasetId: id.optional(),
    method: z.enum(METHODS).optional(),
    status: runStatus.optional(),
    tag: z.string().max(100).optional(),
    search: z.string().max(200).optional(),
    sortBy: z.enum(['createdAt', 'name', 'valAccuracy', 'testAccuracy', 'balancedAccuracy', 'macroF1', 'ece', 'durationSec']).default('createdAt'),
    sortDir: z.enum(['asc', 'desc']).default('desc'),
    ...page,
  }),
  'runs.get': z.strictObject({ runId: id }),
  'runs.curves': z.strictObject({ runId: id }),
  'runs.compare': z.strictObject({ runIds: z.array(id).min(2).max(8) }),
  'runs.tag': z.strictObject({ runId: id, add: z.array(z.string().min(1).max(100)).default([]), remove: z.array(z.string().min(1).max(100)).default([]) }),
  'runs.note': z.strictObject({ runId: id, note: z.string().max(20000) }),
  'runs.cancel': z.strictObject({ runId: id }),
  'runs.resume': z.strictObject({ runId: id }),
  'runs.delete': z.strictObject({ runId: id, cascade: z.boolean().default(false) }),
  // ---- experiments
  'experiments.start': z.strictObject({
    datasetId: id,
    name: z.string().min(1).max(200).optional(),
    config: trainConfigPatch.default({}),
    methods: z.array(z.enum(METHODS)).min(1).max(METHODS.length).refine(unique, 'must not repeat a method').default([...METHODS]),
    seeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(10).refine(unique, 'must not repeat a seed').default([1, 2, 3]),
    taus: z.array(z.number().min(0.5).max(20)).max(10).refine(unique, 'must not repeat a τ').default([]),
    /** Seeds the τ sweep runs over (default: the first seed). */
    tauSeeds: z.array(z.number().int().min(0).max(2 ** 31 - 1)).min(1).max(10).refine(unique, 'must not repeat a seed').optional(),
    /** One offline teacher for every seed instead of one per seed: trained with the first seed, or a saved model (teacherModelId). */
    sharedTeacher: z.boolean().default(false),
    teacherModelId: id.optional(),
  }),
  'experiments.list': z.strictObject({ datasetId: id.optional() }),
  'experiments.get': z.strictObject({ experimentId: id }),
  'experiments.report': z.strictObject({ experimentId: id, format: z.enum(['markdown', 'text']) }),
  'experiments.resume': z.strictObject({ experimentId: id }),
  'experiments.delete': z.strictObject({ experimentId: id }),
  'experiments.pool': z.strictObject({ experimentIds: z.array(id).min(2).max(MAX_POOLED_EXPERIMENTS).refine(unique, 'must not repeat an experiment') }),
  // ---- evaluation
  'eval.get': z.strictObject({ runId: id }),
  'eval.cellChips': z.strictObject({ evaluationId: id, trueLabel: z.number().int().min(0), predictedLabel: z.number().int().min(0), ...page }),
  'eval.chip': z.strictObject({ evaluationId: id, key: z.string().min(1).max(4096) }),
  'eval.rank': z.strictObject({ evaluationId: id, by: z.enum(['entropy', 'disagreement', 'wOff', 'wrongConfident']), ...page }),
  // ---- models
  'models.list': z.strictObject({}),
  'models.export': z.strictObject({ modelId: id, destDir: pathString }),
  'models.import': z.strictObject({ dir: pathString }),
  'models.delete': z.strictObject({ modelId: id, cascade: z.boolean().default(false) }),
  // ---- classification
  'classify.start': z.strictObject({ modelId: id, folder: pathString }),
  'classify.get': z.strictObject({ classificationId: id }),
  'classify.list': z.strictObject({}),
  'classify.flag': z.strictObject({ classificationId: id, key: z.string().min(1).max(4096), flagged: z.boolean() }),
  'classify.export': z.strictObject({ classificationId: id, format: z.enum(['csv', 'geojson']) }),
  'classify.delete': z.strictObject({ classificationId: id }),
} as const;

export type OperationName = keyof typeof operations;
export const OPERATION_NAMES = Object.keys(operations) as OperationName[];
/** Request as the caller may write it (defaults optional). */
export type ApiInput<K extends OperationName> = z.input<(typeof operations)[K]>;
/** Request after validation (defaults filled). */
export type ApiRequest<K extends OperationName> = z.output<(typeof operations)[K]>;

// ---------------------------------------------------------------- response types

export interface BackendInfoDto {
  name: BackendName;
  threads: number;
  simd: boolean;
  detail: string;
}

export interface SystemInfo {
  backend: BackendInfoDto | null;
  versions: { app: string; node: string; tfjs: string; sqlite: string; electron: string | null };
  paths: { dataDir: string; database: string; models: string };
}

export type JobKind = 'import' | 'train' | 'classify';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface JobSnapshot {
  id: string;
  kind: JobKind;
  status: JobStatus;
  title: string;
  runId: number | null;
  datasetId: number | null;
  classificationId: number | null;
  /** 0..1 over the whole job. */
  fraction: number;
  message: string;
  etaSec: number | null;
  /** The latest training progress event (train jobs). */
  train: TrainProgress | null;
  createdAt: string;
  error: string | null;
}

export interface DatasetSummary {
  id: number;
  name: string;
  root: string;
  layout: 'class' | 'split/class';
  classes: string[];
  preprocess: PreprocessConfig;
  contentHash: string;
  createdAt: string;
  sampleCount: number;
  splitCounts: Record<Split, number>;
  skipped: SkippedFile[];
}

export interface DatasetDetail extends DatasetSummary {
  /** classCounts[split][classIndex]. */
  classCounts: Record<Split, number[]>;
  /** Chip sizes as 'WxH' with counts, largest count first. */
  sizeHistogram: { size: string; count: number }[];
  runCount: number;
}

export interface ChipItem {
  key: string;
  className: string;
  label: number;
  split: Split;
  width: number;
  height: number;
  channels: number;
  /** URL of a PNG rendering (chip:// in the desktop app, http in browser mode). */
  url: string;
}

export interface Page<T> {
  total: number;
  offset: number;
  items: T[];
}

/** What a deletion removed besides the thing itself: classifications made with its models (only with cascade). */
export interface Deleted {
  deleted: true;
  classificationsDeleted: number;
}

export type RunStatus = z.infer<typeof runStatus>;

export interface RunSummary {
  id: number;
  name: string;
  datasetId: number;
  datasetName: string;
  method: TrainConfig['method'];
  student: string;
  teacher: string;
  status: RunStatus;
  backend: string | null;
  seed: number;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  tags: string[];
  note: string;
  valAccuracy: number | null;
  testAccuracy: number | null;
  balancedAccuracy: number | null;
  macroF1: number | null;
  ece: number | null;
  durationSec: number | null;
  sweepId: string | null;
  parentRunId: number | null;
  /** The saved model the run distils from, when one was chosen (a run's model or an imported one). */
  teacherModelId: number | null;
}

export interface EvaluationDto {
  id: number;
  runId: number;
  split: Split;
  classes: string[];
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  ece: number;
  confusion: number[][];
  perClass: PerClassMetrics[];
  reliability: ReliabilityBin[];
  createdAt: string;
}

export interface RunDetail extends RunSummary {
  config: TrainConfig;
  epochs: EpochMetrics[];
  evaluation: EvaluationDto | null;
  models: ModelSummary[];
}

export interface CompareResult {
  runs: RunDetail[];
  /** Only the config keys (dotted) whose values differ between the runs; null where a run's method does not use the option. */
  configDiff: { key: string; values: unknown[] }[];
  /**
   * Each later run against the first on the same test chips (runs on the first run's dataset, both
   * with a test evaluation): chips right only in this run / only in the first, exact McNemar p.
   */
  paired: { runId: number; referenceRunId: number; chips: number; runOnly: number; referenceOnly: number; pValue: number }[];
}

export interface ChipRecord extends ChipPrediction {
  evaluationId: number;
  className: string;
  predictedName: string;
  width: number;
  height: number;
  url: string;
}

export interface ClassificationDto {
  id: number;
  modelId: number;
  folder: string;
  classes: string[];
  status: JobStatus;
  createdAt: string;
  rows: ClassificationRow[];
  skipped: SkippedFile[];
}

export interface ApiResponses {
  'system.info': SystemInfo;
  'jobs.list': JobSnapshot[];
  'jobs.get': JobSnapshot;
  'jobs.cancel': JobSnapshot;
  'datasets.import': JobSnapshot;
  'datasets.importDemo': JobSnapshot;
  'datasets.list': DatasetSummary[];
  'datasets.get': DatasetDetail;
  'datasets.chips': Page<ChipItem>;
  'datasets.delete': Deleted & { runsDeleted: number };
  'runs.start': { runId: number; job: JobSnapshot };
  'runs.sweep': { sweepId: string; runIds: number[] };
  'runs.retrain': { runId: number; job: JobSnapshot };
  'runs.list': Page<RunSummary>;
  'runs.get': RunDetail;
  'runs.curves': EpochMetrics[];
  'runs.compare': CompareResult;
  'runs.tag': RunSummary;
  'runs.note': RunSummary;
  'runs.cancel': RunSummary;
  'runs.resume': { runId: number; job: JobSnapshot };
  'runs.delete': Deleted;
  'experiments.start': { experimentId: number; runIds: number[] };
  'experiments.list': ExperimentSummaryDto[];
  'experiments.get': ExperimentDetailDto;
  'experiments.report': { filename: string; mimeType: string; content: string };
  'experiments.resume': { runIds: number[] };
  'experiments.delete': { deleted: true };
  'experiments.pool': PooledExperiments;
  'eval.get': EvaluationDto | null;
  'eval.cellChips': Page<ChipRecord>;
  'eval.chip': ChipRecord;
  'eval.rank': Page<ChipRecord>;
  'models.list': ModelSummary[];
  'models.export': { dir: string };
  'models.import': ModelSummary;
  'models.delete': Deleted;
  'classify.start': { classificationId: number; job: JobSnapshot };
  'classify.get': ClassificationDto;
  'classify.list': Omit<ClassificationDto, 'rows' | 'skipped'>[];
  'classify.flag': ClassificationRow;
  'classify.export': { filename: string; mimeType: string; content: string };
  'classify.delete': { deleted: true };
}

export type ApiResponse<K extends OperationName> = ApiResponses[K];

/** Events pushed to subscribers (renderer over IPC or WebSocket). */
export const EVENT_NAMES = ['job', 'run', 'dataset', 'classification'] as const;
export type EventName = (typeof EVENT_NAMES)[number];
export interface ApiEvents {
  job: JobSnapshot;
  run: { runId: number; status: RunStatus };
  dataset: { datasetId: number; deleted?: boolean };
  classification: { classificationId: number; status: JobStatus };
}

/** Typed error carried across every transport. */
export type ApiErrorCode = 'invalid' | 'notFound' | 'conflict' | 'failed' | 'unknownOperation';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Validate a request; throws ApiError('invalid') with a readable message. */
export function parseRequest<K extends OperationName>(op: K, input: unknown): ApiRequest<K> {
  if (!isOperationName(op)) throw new ApiError('unknownOperation', `Unknown operation: ${String(op)}`);
  const schema = operations[op] as unknown as z.ZodType<ApiRequest<K>>;
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : 'request';
    throw new ApiError('invalid', `${op}: ${where}: ${issue.message}`);
  }
  return result.data;
}

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}

/** The typed client every transport implements (renderer, tests, CLI). */
export interface ApiClient {
  call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** URL of a PNG rendering of a chip (dataset sample or classified file). */
  chipUrl(ref: ChipRef): string;
}

export type ChipRef =
  | { kind: 'sample'; datasetId: number; key: string; stretch?: 'linear' | 'db' }
  | { kind: 'classified'; classificationId: number; key: string; stretch?: 'linear' | 'db' };
