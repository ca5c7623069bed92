/**
 * Train one run of the history: load its dataset, train (or resume), record every epoch, register
 * the models and checkpoints with their hashes, evaluate on the held-out split and store the
 * per-chip predictions. The run row always ends in done | failed | cancelled; a process that dies
 * leaves it 'running' for the parent (or the next start) to mark 'interrupted'.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { augmentBatch, isAugmentOff } from '../../data/augment.js';
import { computeSplitStats } from '../../data/channelStats.js';
import { loadTensorSets } from '../../data/tensorSets.js';
import type { PreprocessConfig } from '../../data/types.js';
import { initBackend } from '../../engine/backend.js';
import { methodDistill, methodNeeds } from '../../engine/config.js';
import { evaluateModel } from '../../engine/evaluate.js';
import { chipFitProblem, chipTarget } from '../../engine/modelFit.js';
import { loadModel, readModelMeta } from '../../engine/modelStore.js';
import { trainRun } from '../../engine/trainer.js';
import type { TrainProgress } from '../../engine/types.js';
import { CHECKPOINT_DIR } from '../../engine/checkpoint.js';
import type { History } from '../../store/index.js';
import { sha256FileSync, sha256Path } from '../hash.js';
import type { WorkerContext, WorkerTask } from '../messages.js';
import { storedDatasetReport } from './datasetSource.js';
import type { TaskIo } from './taskIo.js';

export function runDir(dataDir: string, runId: number): string {
  return join(dataDir, 'runs', String(runId));
}

/** Returns 'done' or 'cancelled'; throws on failure (the caller records it). */
export async function runTraining(
  task: Extract<WorkerTask, { type: 'train' }>,
  ctx: WorkerContext,
  history: History,
  io: TaskIo,
): Promise<'done' | 'cancelled'> {
  const run = history.runs.get(task.runId);
  if (!run) throw new Error(`Run ${task.runId} not found`);
  // Cancelled while it waited (possibly from another app or CLI process): do not start it.
  if (run.status !== 'queued') return 'cancelled';
  const backend = await initBackend(ctx.backend);
  history.runs.start(run.id, { backend: backend.name });

  const report = storedDatasetReport(history, run.datasetId);
  let preprocess: PreprocessConfig = run.config.preprocess;
  if (preprocess.normalise === 'dataset' && !(preprocess.mean && preprocess.std)) {
    io.progress(0.01, 'Computing dataset statistics…');
    const stats = await computeSplitStats(report, preprocess, { signal: io.signal });
    preprocess = { ...preprocess, mean: stats.mean, std: stats.std };
  }
  const sets = await loadTensorSets(report, preprocess, {
    signal: io.signal,
    onProgress: (done, total) => io.progress(0.05 * (done / Math.max(1, total)), `Loading chips ${done}/${total}`),
  });
  if (sets.train.n === 0) throw new Error('The dataset has no training chips');

  const outDir = runDir(ctx.dataDir, run.id);
  const config = { ...run.config, preprocess };
  const augmentCfg = config.augment;
  const augment = isAugmentOff(augmentCfg)
    ? undefined
    : (batch: Float32Array, n: number, size: number, channels: number, rng: () => number) => augmentBatch(batch, n, size, channels, augmentCfg, rng);

  const needs = methodNeeds(config.method);
  const teacherDir = !needs.offline
    ? undefined
    : run.teacherModelId !== null
      ? await chosenTeacher(history, run.teacherModelId, report.classes, preprocess)
      : await findTeacher(history, run.parentRunId, report.classes, preprocess);
  // Share of the job's progress bar: the teacher phase only exists when a teacher is trained here.
  const [teacherShare, studentShare] = needs.offline && !teacherDir ? [[0.05, 0.35], [0.35, 0.93]] : [[0, 0], [0.05, 0.93]];

  const onProgress = (e: TrainProgress) => {
    const totalEpochs = e.epochs;
    const within = e.kind === 'batch' ? (e.epoch - 1 + e.batch / e.batches) / totalEpochs : e.epoch / totalEpochs;
    const [lo, hi] = e.phase === 'teacher' ? teacherShare : studentShare;
    const fraction = lo + (hi - lo) * within;
    const label = e.phase === 'teacher' ? 'Offline teacher' : 'Student';
    io.progress(fraction, `${label}: epoch ${e.epoch}/${e.epochs}${e.kind === 'batch' ? `, batch ${e.batch}/${e.batches}` : ''}`, e.etaSec, e);
    if (e.kind === 'epoch') {
      const { kind: _k, epochs: _e, etaSec: _t, ...metrics } = e;
      history.metrics.record(run.id, metrics);
      const ckpt = join(outDir, CHECKPOINT_DIR);
      if (existsSync(ckpt)) {
        history.artifacts.addCheckpoint(run.id, { phase: e.phase, epoch: e.epoch, path: ckpt, sha256: sha256FileSync(join(ckpt, 'state.json')) });
      }
    }
  };

  const result = await trainRun({
    config,
    data: { train: sets.train, val: sets.val.n > 0 ? sets.val : undefined },
    outDir,
    onProgress,
    signal: io.signal,
    resume: task.resume,
    augment,
    teacherDir,
  });
  if (result.status === 'cancelled') {
    history.runs.cancel(run.id);
    return 'cancelled';
  }

  io.progress(0.94, 'Saving models…', null);
  for (const [kind, dir] of [
    ['student', result.studentDir],
    ['teacher', result.teacherDir],
    ['online', join(outDir, 'online')],
  ] as const) {
    if (dir && existsSync(join(dir, 'model.json')) && (kind !== 'teacher' || dir.startsWith(outDir))) {
      const meta = (await readModelMeta(dir)) as unknown as Record<string, unknown>;
      history.artifacts.addModel(run.id, { kind, dir, sha256: await sha256Path(dir), meta });
    }
  }

  const evalSet = sets.test.n > 0 ? sets.test : sets.val;
  const evalSplit = sets.test.n > 0 ? 'test' : 'val';
  if (evalSet.n > 0) {
    io.progress(0.96, `Evaluating on the ${evalSplit} split (${evalSet.n} chips)…`, null);
    const student = await loadModel(result.studentDir);
    const teacher = result.teacherDir ? await loadModel(result.teacherDir) : null;
    const onlineDir = join(outDir, 'online');
    const online = existsSync(join(onlineDir, 'model.json')) ? await loadModel(onlineDir) : null;
    try {
      const evaluation = await evaluateModel({
        student: student.model,
        teacher: teacher?.model,
        online: online?.model,
        set: evalSet,
        distill: methodDistill(config.method, config.distill),
        batchSize: Math.min(64, config.batchSize * 2),
      });
      history.evaluations.add(run.id, evalSplit, evaluation);
    } finally {
      student.model.dispose();
      teacher?.model.dispose();
      online?.model.dispose();
    }
  }
  history.runs.finish(run.id, { bestEpoch: result.bestEpoch, valAccuracy: result.bestValAccuracy, durationSec: result.seconds });
  return 'done';
}

/**
 * The saved model a run was created to distil from: exactly that one. When it has been deleted since, or no
 * longer fits the chips, the run fails with that reason instead of quietly training a teacher of its own.
 */
async function chosenTeacher(history: History, modelId: number, classes: string[], preprocess: PreprocessConfig): Promise<string> {
  const model = history.artifacts.getModel(modelId);
  if (!model || !existsSync(join(model.dir, 'model.json'))) {
    throw new Error(`The saved teacher model #${modelId} this run distils from has been deleted; start the run again with another teacher`);
  }
  const problem = await fitProblem(model.dir, modelId, classes, preprocess);
  if (problem) throw new Error(`The saved teacher model #${modelId} does not fit this run's chips: ${problem}`);
  return model.dir;
}

/**
 * A retrained run reuses the parent's frozen offline teacher — or the parent's student when the parent was
 * a plain CE run — if it fits the run's chips; otherwise a new teacher is trained.
 */
async function findTeacher(history: History, parentRunId: number | null, classes: string[], preprocess: PreprocessConfig): Promise<string | undefined> {
  if (parentRunId === null) return undefined;
  const parent = history.runs.get(parentRunId);
  const model = history.artifacts.latestModel(parentRunId, 'teacher') ?? (parent?.method === 'ce' ? history.artifacts.latestModel(parentRunId, 'student') : undefined);
  if (!model || !existsSync(join(model.dir, 'model.json'))) return undefined;
  return (await fitProblem(model.dir, model.id, classes, preprocess)) === null ? model.dir : undefined;
}

/** Why the model in `dir` cannot take the run's chips (null when it can), from its own sidecar. */
async function fitProblem(dir: string, id: number, classes: string[], preprocess: PreprocessConfig): Promise<string | null> {
  const meta = await readModelMeta(dir);
  const trained = meta.preprocess as Partial<PreprocessConfig> | undefined;
  return chipFitProblem(
    { id, classes: meta.classes, inputSize: meta.inputSize, channels: meta.channels, intensity: trained?.intensity ?? null, normalise: trained?.normalise ?? null },
    chipTarget(classes, preprocess),
  );
}
