/** runs.* operations: start, sweep, retrain, query, annotate, cancel, resume, delete. */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DEFAULT_TRAIN_CONFIG, METHOD_LABELS, METHODS, methodNeeds, suggestBalancedSampling, type TrainConfig } from '../../engine/config.js';
import { chipTarget } from '../../engine/modelFit.js';
import { discordance, mcnemarExactP } from '../../experiments/paired.js';
import { runDir } from '../../jobs/tasks/trainTask.js';
import type { DatasetRecord, ModelRecord, RunRecord } from '../../store/index.js';
import { ApiError, type ApiRequest, type ApiResponse, type CompareResult, type JobSnapshot, type ModelSummary, type RunDetail } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { toEvaluationDto, toModelSummary, toRunSummary } from '../mappers.js';
import { teacherModelProblem } from '../teacherModels.js';
import { resolveTrainConfig } from '../train-config.js';
import { notFound, storeCall } from './errors.js';

export function defaultRunName(config: TrainConfig): string {
  const teacher = methodNeeds(config.method).offline ? `${config.teacher}→` : '';
  return `${METHOD_LABELS[config.method]} ${teacher}${config.student} τ${config.distill.tau} seed ${config.seed}`;
}

/** Queue a run's training job (a resumed run shows 'queued' again while it waits) and tell subscribers. */
export function queueTraining(ctx: ServiceContext, run: RunRecord, resume: boolean): JobSnapshot {
  const queued = run.status === 'queued' ? run : ctx.history.runs.requeue(run.id);
  ctx.history.runs.claim(run.id, process.pid);
  ctx.emit('run', { runId: run.id, status: queued.status });
  return ctx.jobs.submit({ kind: 'train', title: run.name, runId: run.id, datasetId: run.datasetId, task: { type: 'train', runId: run.id, resume } });
}

export interface NewRunOptions {
  name?: string;
  parentRunId?: number | null;
  sweepId?: string | null;
  /** The saved model the run distils from (checked with `savedTeacherModel`). */
  teacherModelId?: number | null;
  base?: TrainConfig;
}

/** A dataset's training defaults: its preprocessing, and class-balanced batches when its training split is imbalanced. */
export function datasetBaseConfig(dataset: DatasetRecord): TrainConfig {
  return { ...DEFAULT_TRAIN_CONFIG, preprocess: dataset.preprocess, balancedSampling: suggestBalancedSampling(dataset.classCounts.train) };
}

/**
 * The saved model a run (or an experiment) distils from, checked at the boundary: it must be able to
 * be the frozen teacher of a run with `config` on `dataset` (teacherModels.ts), or the call fails.
 */
export function savedTeacherModel(ctx: ServiceContext, op: string, dataset: DatasetRecord, config: TrainConfig, modelId: number): ModelSummary {
  const { model, problem } = teacherFit(ctx.history.artifacts.getModel(modelId) ?? notFound(`Model ${modelId}`), dataset, config);
  if (problem) throw new ApiError('invalid', `${op}: teacherModelId: ${problem}`);
  return model;
}

/** A stored model as a summary, and why it cannot be the teacher of a run with `config` on `dataset` (null: it can). */
function teacherFit(record: ModelRecord, dataset: DatasetRecord, config: TrainConfig): { model: ModelSummary; problem: string | null } {
  const model = toModelSummary({ ...record, runName: null, testAccuracy: null });
  return { model, problem: teacherModelProblem(model, chipTarget(dataset.classes, config.preprocess)) };
}

/** Validate `patch` against the dataset's defaults (or `base`) and record a queued run. */
export function createRun(ctx: ServiceContext, datasetId: number, patch: Record<string, unknown>, extra: NewRunOptions = {}): RunRecord {
  const { history } = ctx;
  const dataset = history.datasets.get(datasetId) ?? notFound(`Dataset ${datasetId}`);
  const base = extra.base ?? datasetBaseConfig(dataset);
  const config = resolveTrainConfig(patch, base);
  if (dataset.splitCounts.train === 0) throw new ApiError('invalid', `Dataset ${dataset.name} has no training chips`);
  return storeCall(() =>
    history.runs.create({
      datasetId,
      name: extra.name?.trim() || defaultRunName(config),
      config,
      parentRunId: extra.parentRunId ?? null,
      sweepId: extra.sweepId ?? null,
      teacherModelId: extra.teacherModelId ?? null,
    }),
  );
}

export function runHandlers(ctx: ServiceContext) {
  const { history, jobs } = ctx;

  const getRun = (runId: number): RunRecord => history.runs.get(runId) ?? notFound(`Run ${runId}`);

  /** Each later run against the first on the same test chips (same dataset, both evaluated on test). */
  const pairedWithFirst = ([first, ...rest]: RunRecord[]): CompareResult['paired'] => {
    const right = (run: RunRecord) => {
      const test = history.evaluations.latest(run.id, 'test');
      return test ? history.predictions.correctness(test.id) : null;
    };
    const reference = right(first);
    if (!reference) return [];
    return rest.flatMap((run) => {
      const mine = run.datasetId === first.datasetId ? right(run) : null;
      if (!mine) return [];
      const d = discordance(mine, reference);
      return [{ runId: run.id, referenceRunId: first.id, chips: d.chips, runOnly: d.aOnly, referenceOnly: d.bOnly, pValue: mcnemarExactP(d.aOnly, d.bOnly) }];
    });
  };
  const queue = (run: RunRecord, resume: boolean) => queueTraining(ctx, run, resume);

  /**
   * A run started from a saved teacher: its config records the model's backbone as `teacher`, the run the
   * model id (the job loads exactly that model) and, for a model from a run, that run as its parent. A
   * sweep's CE and Self-KD runs have no teacher.
   */
  const withTeacherModel = (
    op: 'runs.start' | 'runs.sweep',
    datasetId: number,
    patch: Record<string, unknown>,
    modelId: number | undefined,
  ): { config: Record<string, unknown>; parentRunId: number | null; teacherModelId: number | null } => {
    if (modelId === undefined) return { config: patch, parentRunId: null, teacherModelId: null };
    const dataset = history.datasets.get(datasetId) ?? notFound(`Dataset ${datasetId}`);
    const config = resolveTrainConfig(patch, datasetBaseConfig(dataset));
    const offline = methodNeeds(config.method).offline;
    if (!offline && op === 'runs.start') throw new ApiError('invalid', `runs.start: teacherModelId: ${METHOD_LABELS[config.method]} uses no offline teacher`);
    const model = savedTeacherModel(ctx, op, dataset, config, modelId);
    return { config: { ...patch, teacher: model.backbone }, parentRunId: offline ? model.runId : null, teacherModelId: offline ? model.id : null };
  };

  /**
   * A run retrained from one that distilled from a saved model keeps that teacher when it still exists and
   * fits the new dataset; otherwise the job takes the parent's own teacher or trains a new one.
   */
  const inheritedTeacherModel = (parent: RunRecord, dataset: DatasetRecord, config: TrainConfig): number | null => {
    if (parent.teacherModelId === null || !methodNeeds(config.method).offline) return null;
    const record = history.artifacts.getModel(parent.teacherModelId);
    return record && teacherFit(record, dataset, config).problem === null ? record.id : null;
  };

  return {
    'runs.start': (req: ApiRequest<'runs.start'>): ApiResponse<'runs.start'> => {
      const { config, parentRunId, teacherModelId } = withTeacherModel('runs.start', req.datasetId, req.config, req.teacherModelId);
      const run = createRun(ctx, req.datasetId, config, { name: req.name, parentRunId, teacherModelId });
      return { runId: run.id, job: queue(run, false) };
    },
    'runs.sweep': (req: ApiRequest<'runs.sweep'>): ApiResponse<'runs.sweep'> => {
      const values =
        req.values ?? (req.sweep === 'tau' ? [1, 2, 4, 6, 8] : req.sweep === 'methods' ? [...METHODS] : [1, 2, 3]);
      const key = req.sweep === 'tau' ? 'distill.tau' : req.sweep === 'methods' ? 'method' : 'seed';
      // Validate every variant (and the saved teacher against each) before creating any run: a bad value must leave the history untouched.
      const variants = values.map((v) => withTeacherModel('runs.sweep', req.datasetId, { ...req.config, [key]: v }, req.teacherModelId));
      variants.forEach((v) => resolveTrainConfig(v.config));
      const sweepId = randomUUID();
      const runs = history.transaction(() =>
        variants.map(({ config, parentRunId, teacherModelId }) =>
          createRun(ctx, req.datasetId, config, { name: req.name ? `${req.name} · ${key}=${String(config[key])}` : undefined, parentRunId, teacherModelId, sweepId }),
        ),
      );
      runs.forEach((run) => queue(run, false));
      return { sweepId, runIds: runs.map((r) => r.id) };
    },
    'runs.retrain': (req: ApiRequest<'runs.retrain'>): ApiResponse<'runs.retrain'> => {
      const parent = getRun(req.runId);
      const dataset = history.datasets.get(req.datasetId) ?? notFound(`Dataset ${req.datasetId}`);
      const base = { ...parent.config, preprocess: { ...parent.config.preprocess, mean: undefined, std: undefined } };
      const run = createRun(ctx, req.datasetId, {}, {
        name: req.name ?? `${parent.name} → ${dataset.name}`,
        parentRunId: parent.id,
        teacherModelId: inheritedTeacherModel(parent, dataset, resolveTrainConfig({}, base)),
        base,
      });
      return { runId: run.id, job: queue(run, false) };
    },
    'runs.list': (req: ApiRequest<'runs.list'>): ApiResponse<'runs.list'> => {
      const page = history.runs.list({
        datasetId: req.datasetId,
        method: req.method,
        status: req.status,
        tag: req.tag,
        search: req.search,
        sortBy: req.sortBy,
        order: req.sortDir,
        limit: req.limit,
        offset: req.offset,
      });
      return { total: page.total, offset: page.offset, items: page.items.map(toRunSummary) };
    },
    'runs.get': (req: ApiRequest<'runs.get'>): ApiResponse<'runs.get'> => runDetail(ctx, getRun(req.runId)),
    'runs.curves': (req: ApiRequest<'runs.curves'>): ApiResponse<'runs.curves'> => {
      getRun(req.runId);
      const curves = history.metrics.curves(req.runId);
      return [...curves.teacher, ...curves.student];
    },
    'runs.compare': (req: ApiRequest<'runs.compare'>): ApiResponse<'runs.compare'> => {
      const runs = req.runIds.map(getRun);
      const comparison = storeCall(() => history.compareRuns(req.runIds));
      return { runs: runs.map((r) => runDetail(ctx, r)), configDiff: comparison.configDiff, paired: pairedWithFirst(runs) };
    },
    'runs.tag': (req: ApiRequest<'runs.tag'>): ApiResponse<'runs.tag'> => {
      getRun(req.runId);
      storeCall(() =>
        history.transaction(() => {
          req.add.forEach((t) => history.annotations.addTag(req.runId, t));
          req.remove.forEach((t) => history.annotations.removeTag(req.runId, t));
        }),
      );
      return toRunSummary(getRun(req.runId));
    },
    'runs.note': (req: ApiRequest<'runs.note'>): ApiResponse<'runs.note'> => {
      getRun(req.runId);
      storeCall(() => history.annotations.setNote(req.runId, req.note));
      return toRunSummary(getRun(req.runId));
    },
    'runs.cancel': (req: ApiRequest<'runs.cancel'>): ApiResponse<'runs.cancel'> => {
      const run = getRun(req.runId);
      const job = jobs.findByRun(run.id);
      if (job) jobs.cancel(job.id);
      else if (run.status === 'queued' || run.status === 'running') storeCall(() => history.runs.cancel(run.id));
      else throw new ApiError('conflict', `runs.cancel: run ${run.id} is ${run.status}, nothing to cancel`);
      return toRunSummary(getRun(run.id));
    },
    'runs.resume': (req: ApiRequest<'runs.resume'>): ApiResponse<'runs.resume'> => {
      const run = getRun(req.runId);
      if (run.status !== 'interrupted' && run.status !== 'cancelled') {
        throw new ApiError('conflict', `runs.resume: run ${run.id} is ${run.status}; only interrupted or cancelled runs can be resumed`);
      }
      if (jobs.findByRun(run.id)) throw new ApiError('conflict', `runs.resume: run ${run.id} already has a job`);
      return { runId: run.id, job: queue(run, true) };
    },
    'runs.delete': async (req: ApiRequest<'runs.delete'>): Promise<ApiResponse<'runs.delete'>> => {
      const run = getRun(req.runId);
      if (jobs.findByRun(run.id) || run.status === 'running') throw new ApiError('conflict', `runs.delete: run ${run.id} is ${run.status}; cancel it first`);
      const { files, classificationsDeleted } = storeCall(() => history.runs.delete(run.id, { cascade: req.cascade }));
      await Promise.all([...files, runDir(ctx.dataDir, run.id)].map((f) => rm(f, { recursive: true, force: true })));
      ctx.emit('run', { runId: run.id, status: run.status });
      return { deleted: true, classificationsDeleted };
    },
  };
}

export function runDetail(ctx: ServiceContext, run: RunRecord): RunDetail {
  const curves = ctx.history.metrics.curves(run.id);
  const evaluation = ctx.history.evaluations.latest(run.id, 'test') ?? ctx.history.evaluations.latest(run.id, 'val') ?? null;
  return {
    ...toRunSummary(run),
    config: run.config,
    epochs: [...curves.teacher, ...curves.student],
    evaluation: evaluation ? toEvaluationDto(evaluation) : null,
    models: ctx.history.artifacts.models(run.id).map((m) => toModelSummary({ ...m, runName: run.name, testAccuracy: run.testAccuracy })),
  };
}
