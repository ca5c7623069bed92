/** experiments.* operations: start a method comparison (methods × seeds, optional τ sweep), read its tables. */
import { METHOD_LABELS, METHODS, methodNeeds, type TrainConfig } from '../../engine/config.js';
import { analyseMethod } from '../../experiments/analysis.js';
import { PAIRED_METHODS, pairedComparison, type ChipCorrectness, type PairedComparison } from '../../experiments/paired.js';
import { planExperiment, type PlannedRun } from '../../experiments/plan.js';
import { poolExperiments, widestMethod } from '../../experiments/pooled.js';
import { experimentReport } from '../../experiments/report.js';
import { savedTeacherRow, summariseExperiment, type ResultRow, type SeedResult } from '../../experiments/summary.js';
import { ownerAlive } from '../../jobs/owner.js';
import { configDiff } from '../../store/compare.js';
import type { ExperimentRecord, RunRecord } from '../../store/index.js';
import { ApiError, type ApiRequest, type ApiResponse, type ExperimentDetailDto, type ExperimentResultDto, type ExperimentSummaryDto } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { iso } from '../mappers.js';
import { resolveTrainConfig } from '../train-config.js';
import { notFound, storeCall } from './errors.js';
import { createRun, datasetBaseConfig, queueTraining, savedTeacherModel } from './runs.js';

function runName(experimentId: number, p: PlannedRun): string {
  const c = p.config;
  const seed = `seed ${c.seed}`;
  if (p.roles[0] === 'teacher') return `Exp ${experimentId} · teacher ${c.student} ${seed}`;
  if (p.roles[0] === 'tau') return `Exp ${experimentId} · AURA-KD τ${c.distill.tau} ${seed}`;
  return `Exp ${experimentId} · ${METHOD_LABELS[c.method]} ${seed}${p.roles.includes('teacher') ? ' (teacher)' : ''}`;
}

export function experimentHandlers(ctx: ServiceContext) {
  const { history } = ctx;
  const getExperiment = (id: number): ExperimentRecord => history.experiments.get(id) ?? notFound(`Experiment ${id}`);

  /** Each run's latest test evaluation, read once per request (a run with two roles appears twice). */
  const testEvaluations = (e: ExperimentRecord) =>
    new Map(history.experiments.runs(e.id).map((r) => [r.runId, history.evaluations.latest(r.runId, 'test')]));

  /** Queued or running in another live process on this history (this process's own pid counts as gone). */
  const inOtherProcess = (run: RunRecord): boolean => {
    if (run.status !== 'queued' && run.status !== 'running') return false;
    const pid = history.runs.owner(run.id);
    return pid !== null && ownerAlive(pid);
  };

  const results = (e: ExperimentRecord, tests = testEvaluations(e)): ExperimentResultDto[] =>
    history.experiments.runs(e.id).map((r) => {
      const run = history.runs.get(r.runId) as RunRecord;
      const test = tests.get(r.runId) ?? null;
      return {
        runId: r.runId,
        name: run.name,
        role: r.role,
        method: r.method,
        seed: r.seed,
        tau: r.tau,
        status: run.status,
        accuracy: test?.accuracy ?? null,
        balancedAccuracy: test?.balancedAccuracy ?? null,
        macroF1: test?.macroF1 ?? null,
        valAccuracy: run.valAccuracy,
        durationSec: run.durationSec,
        otherProcess: inOtherProcess(run),
      };
    });

  const analyse = (e: ExperimentRecord, rows: SeedResult[], tests: ReturnType<typeof testEvaluations>): ExperimentDetailDto['analysis'] => {
    const classes = history.datasets.get(e.datasetId)?.classes ?? [];
    const methods = e.spec.methods.map((method) => {
      const done = rows.filter((r) => r.role === 'method' && r.method === method && r.status === 'done');
      const evaluations = done.map((r) => tests.get(r.runId) ?? null).filter((x) => x !== null);
      const curves = method === 'aurakd' ? done.map((r) => history.metrics.curves(r.runId).student) : [];
      return analyseMethod(method, classes, evaluations, curves);
    });
    return { classes, methods };
  };

  /** The method pairs of PAIRED_METHODS on the same test chips, from each finished comparison run's predictions. */
  const paired = (e: ExperimentRecord, rows: SeedResult[], tests: ReturnType<typeof testEvaluations>): PairedComparison[] => {
    const bySeed = new Map(e.spec.methods.map((method) => [method, new Map<number, ChipCorrectness>()]));
    for (const r of rows) {
      const test = tests.get(r.runId);
      if (r.role === 'method' && r.status === 'done' && test) bySeed.get(r.method)?.set(r.seed, history.predictions.correctness(test.id));
    }
    return PAIRED_METHODS.filter((p) => bySeed.has(p.a) && bySeed.has(p.b))
      .map((p) => pairedComparison(p, bySeed.get(p.a)!, bySeed.get(p.b)!))
      .filter((p): p is PairedComparison => p !== null);
  };

  /**
   * The saved model that was every seed's offline teacher, measured on this experiment's test chips
   * through the teacher probabilities stored with the first finished run that distilled from it.
   */
  const savedTeacher = (e: ExperimentRecord, rows: SeedResult[], tests: ReturnType<typeof testEvaluations>): ResultRow | null => {
    if (e.spec.teacherModelId === undefined) return null;
    const classes = history.datasets.get(e.datasetId)?.classes ?? [];
    const model = history.artifacts.getModel(e.spec.teacherModelId);
    const trainedHere = model?.runId != null && history.runs.get(model.runId)?.datasetId === e.datasetId;
    const valAccuracy = trainedHere ? ((model.meta.metrics as { valAccuracy?: number | null } | undefined)?.valAccuracy ?? null) : null;
    for (const r of rows) {
      const test = tests.get(r.runId);
      if (r.status !== 'done' || !test || !methodNeeds(r.method as TrainConfig['method']).offline) continue;
      const chips = history.predictions.offlineProbabilities(test.id);
      if (chips.length) return savedTeacherRow(chips, classes.length, valAccuracy);
    }
    return savedTeacherRow([], classes.length, valAccuracy);
  };

  const summary = (e: ExperimentRecord, rows = results(e)): ExperimentSummaryDto => {
    const runs = new Map(rows.map((r) => [r.runId, r.status]));
    const statuses = [...runs.values()];
    return {
      id: e.id,
      name: e.name,
      datasetId: e.datasetId,
      datasetName: history.datasets.get(e.datasetId)?.name ?? '',
      methods: e.spec.methods,
      seeds: e.spec.seeds,
      taus: e.spec.taus,
      createdAt: iso(e.createdAt) as string,
      runs: runs.size,
      done: statuses.filter((s) => s === 'done').length,
      failed: statuses.filter((s) => s === 'failed' || s === 'cancelled' || s === 'interrupted').length,
    };
  };

  const detail = (experimentId: number): ExperimentDetailDto => {
    const e = getExperiment(experimentId);
    const tests = testEvaluations(e);
    const rows = results(e, tests);
    return {
      ...summary(e, rows),
      config: e.spec.config as unknown as TrainConfig,
      tauSeeds: e.spec.tauSeeds,
      sharedTeacher: e.spec.sharedTeacher ?? false,
      teacherModelId: e.spec.teacherModelId ?? null,
      results: rows,
      tables: summariseExperiment(rows, e.spec.methods, e.spec.taus, savedTeacher(e, rows, tests)),
      analysis: analyse(e, rows, tests),
      paired: paired(e, rows, tests),
    };
  };

  return {
    'experiments.start': (req: ApiRequest<'experiments.start'>): ApiResponse<'experiments.start'> => {
      const dataset = history.datasets.get(req.datasetId) ?? notFound(`Dataset ${req.datasetId}`);
      const { train, val, test } = dataset.splitCounts;
      if (train === 0 || val === 0 || test === 0) {
        throw new ApiError('invalid', `experiments.start: dataset ${dataset.name} needs train, validation and test chips (has ${train}/${val}/${test}); import it with --val and --test fractions or a separate test folder`);
      }
      const tauSeeds = req.tauSeeds ?? [req.seeds[0]];
      if (req.taus.length > 0) {
        const stray = tauSeeds.filter((s) => !req.seeds.includes(s));
        if (stray.length) throw new ApiError('invalid', `experiments.start: tauSeeds: ${stray.join(', ')} not among the experiment's seeds`);
      }
      const methods = METHODS.filter((m) => req.methods.includes(m));
      let base: TrainConfig = resolveTrainConfig(req.config, datasetBaseConfig(dataset));
      // A saved teacher serves every seed's KD and AURA-KD runs (and the τ sweep); its backbone is the recorded teacher.
      const teacherModel = req.teacherModelId === undefined ? null : savedTeacherModel(ctx, 'experiments.start', dataset, base, req.teacherModelId);
      if (teacherModel) {
        if (!methods.some((m) => methodNeeds(m).offline) && req.taus.length === 0) {
          throw new ApiError('invalid', 'experiments.start: teacherModelId: none of the methods uses an offline teacher (KD, AURA-KD or a τ sweep)');
        }
        base = { ...base, teacher: teacherModel.backbone as TrainConfig['teacher'] };
      }
      const sharedTeacher = req.sharedTeacher || teacherModel !== null;
      const plan = planExperiment({ base, methods, seeds: req.seeds, taus: req.taus, tauSeeds: req.taus.length ? tauSeeds : [], sharedTeacher, savedTeacher: teacherModel !== null });
      const { experiment, runs } = storeCall(() =>
        history.transaction(() => {
          const experiment = history.experiments.create({
            datasetId: dataset.id,
            name: req.name ?? `${methods.map((m) => METHOD_LABELS[m]).join(' vs ')} on ${dataset.name}`,
            spec: {
              config: base as unknown as Record<string, unknown>,
              methods,
              seeds: req.seeds,
              taus: req.taus,
              tauSeeds: req.taus.length ? tauSeeds : [],
              sharedTeacher,
              ...(teacherModel ? { teacherModelId: teacherModel.id } : {}),
            },
          });
          const runs: RunRecord[] = [];
          for (const p of plan) {
            const fromSaved = teacherModel !== null && methodNeeds(p.config.method).offline;
            const parentRunId = p.teacherIndex !== null ? runs[p.teacherIndex].id : fromSaved ? teacherModel.runId : null;
            const run = createRun(ctx, dataset.id, {}, { base: p.config, parentRunId, teacherModelId: fromSaved ? teacherModel.id : null, name: runName(experiment.id, p) });
            runs.push(run);
            for (const role of p.roles) {
              history.experiments.addRun(experiment.id, { runId: run.id, role, method: role === 'teacher' ? 'ce' : p.config.method, seed: p.config.seed, tau: p.config.distill.tau });
            }
          }
          return { experiment, runs };
        }),
      );
      runs.forEach((run) => queueTraining(ctx, run, false));
      return { experimentId: experiment.id, runIds: runs.map((r) => r.id) };
    },
    'experiments.list': (req: ApiRequest<'experiments.list'>): ApiResponse<'experiments.list'> => {
      if (req.datasetId !== undefined && !history.datasets.get(req.datasetId)) notFound(`Dataset ${req.datasetId}`);
      return history.experiments.list(req.datasetId).map((e) => summary(e));
    },
    'experiments.get': (req: ApiRequest<'experiments.get'>): ApiResponse<'experiments.get'> => detail(req.experimentId),
    'experiments.report': (req: ApiRequest<'experiments.report'>): ApiResponse<'experiments.report'> => {
      const e = detail(req.experimentId);
      const stem = `experiment-${e.id}-${e.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'report'}`;
      const markdown = req.format === 'markdown';
      return { filename: `${stem}.${markdown ? 'md' : 'txt'}`, mimeType: markdown ? 'text/markdown' : 'text/plain', content: `${experimentReport(e, req.format)}\n` };
    },
    'experiments.resume': (req: ApiRequest<'experiments.resume'>): ApiResponse<'experiments.resume'> => {
      const e = getExperiment(req.experimentId);
      // In plan order (teachers first): interrupted and cancelled runs continue from their checkpoint;
      // queued runs whose job was lost (no job here, and no live process that queued it) are queued again.
      const runIds = [...new Set(history.experiments.runs(e.id).map((r) => r.runId))];
      const orphaned = (run: RunRecord) => run.status === 'queued' && !inOtherProcess(run);
      const pending = runIds
        .map((runId) => history.runs.get(runId) as RunRecord)
        .filter((run) => !ctx.jobs.findByRun(run.id) && (run.status === 'interrupted' || run.status === 'cancelled' || orphaned(run)));
      if (pending.length === 0) throw new ApiError('conflict', `experiments.resume: experiment ${e.id} has no interrupted, cancelled or orphaned queued run`);
      pending.forEach((run) => queueTraining(ctx, run, run.status !== 'queued'));
      return { runIds: pending.map((r) => r.id) };
    },
    'experiments.pool': (req: ApiRequest<'experiments.pool'>): ApiResponse<'experiments.pool'> => {
      const details = req.experimentIds.map(detail);
      // Each experiment's settings as its widest method uses them; which methods ran and the base seed are listed apart.
      const settings = configDiff(
        details.map((d) => ({ ...d.config, method: widestMethod(d.methods, d.taus) })),
        details.map((d) => d.teacherModelId),
      ).filter((d) => d.key !== 'method' && d.key !== 'seed');
      return storeCall(() => poolExperiments(details, settings));
    },
    'experiments.delete': (req: ApiRequest<'experiments.delete'>): ApiResponse<'experiments.delete'> => {
      getExperiment(req.experimentId);
      storeCall(() => history.experiments.delete(req.experimentId));
      return { deleted: true };
    },
  };
}
