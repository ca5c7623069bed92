/** aura-kd train · aura-kd eval · aura-kd classify */
import { cp, mkdir, writeFile } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EvaluationDto, RunDetail } from '../../api/contract.js';
import { UsageError } from '../args.js';
import { formatDuration, pct, table } from '../output.js';
import { openSession, type CliSession } from '../session.js';
import { importDataset } from './datasets.js';
import { printModels } from './models.js';
import type { Command, CommandContext } from './types.js';

/** Flags that map one-to-one onto TrainConfig keys. */
export const CONFIG_FLAGS: Record<string, string> = {
  method: 'method',
  student: 'student',
  teacher: 'teacher',
  epochs: 'epochs',
  'teacher-epochs': 'teacherEpochs',
  batch: 'batchSize',
  lr: 'learningRate',
  'weight-decay': 'weightDecay',
  seed: 'seed',
  patience: 'earlyStoppingPatience',
  tau: 'distill.tau',
  'tau-online': 'distill.tauOnline',
  alpha: 'distill.alpha',
  beta: 'distill.beta',
  gamma: 'distill.gamma',
  weighting: 'distill.weighting',
  'loss-norm': 'distill.lossNorm',
  granularity: 'distill.granularity',
  'online-teacher': 'distill.onlineTeacher',
  'kd-warmup': 'distill.kdWarmupEpochs',
  'offline-prior': 'distill.offlinePrior',
  size: 'preprocess.size',
  intensity: 'preprocess.intensity',
  normalise: 'preprocess.normalise',
  channels: 'preprocess.channels',
  shift: 'augment.shift',
  speckle: 'augment.speckleLooks',
  preset: 'preset',
};

export function configPatchFromFlags(ctx: CommandContext): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(CONFIG_FLAGS)) {
    const v = ctx.flags.string(flag);
    if (v !== undefined) patch[key] = v;
  }
  if (ctx.flags.bool('adamw')) patch.decoupledWeightDecay = true;
  if (ctx.flags.bool('balanced')) patch.balancedSampling = true;
  if (ctx.flags.bool('flip')) patch['augment.flip'] = true;
  for (const kv of ctx.flags.list('set')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set expects key=value, got "${kv}"`);
    patch[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return patch;
}

export function printEvaluation(ctx: CommandContext, e: EvaluationDto): void {
  ctx.out(`Evaluation on ${e.split} (${e.n} chips): accuracy ${pct(e.accuracy)}, balanced ${pct(e.balancedAccuracy)}, macro-F1 ${pct(e.macroF1)}, ECE ${e.ece.toFixed(4)}`);
  ctx.out(table(['class', 'precision', 'recall', 'F1', 'support'], e.perClass.map((c) => [c.className, pct(c.precision, 1), pct(c.recall, 1), pct(c.f1, 1), c.support])));
  ctx.out('Confusion matrix (rows: true, columns: predicted):');
  ctx.out(table(['', ...e.classes.map((_, i) => String(i))], e.confusion.map((row, i) => [`${i} ${e.classes[i]}`, ...row])));
}

function printRun(ctx: CommandContext, run: RunDetail): void {
  const student = run.epochs.filter((e) => e.phase === 'student');
  const best = student.reduce<(typeof student)[number] | null>((b, e) => (e.valAccuracy !== null && (b === null || e.valAccuracy > (b.valAccuracy ?? -1)) ? e : b), null);
  ctx.out(`Run ${run.id} "${run.name}": ${run.status} on ${run.backend ?? '–'} in ${formatDuration(run.durationSec)}, ${student.length} student epoch(s)${best ? `, best epoch ${best.epoch}` : ''}`);
  if (run.valAccuracy !== null) ctx.out(`  best validation accuracy ${pct(run.valAccuracy)}`);
  if (run.error) ctx.out(`  error: ${run.error}`);
  printModels(ctx, run.models);
  if (run.evaluation) printEvaluation(ctx, run.evaluation);
}

async function trainAndWait(session: CliSession, ctx: CommandContext, datasetId: number): Promise<RunDetail> {
  const patch = configPatchFromFlags(ctx);
  const teacherModelId = ctx.flags.number('teacher-model', { integer: true, min: 1 });
  const { runId, job } = await session.call('runs.start', { datasetId, name: ctx.flags.string('name'), config: patch, teacherModelId });
  if (!ctx.json) process.stderr.write(`Run ${runId} started (dataset ${datasetId}); Ctrl-C cancels and keeps the checkpoint.\n`);
  const end = await session.waitForJob(job, { quiet: ctx.json });
  const run = await session.call('runs.get', { runId });
  if (end.status === 'failed') throw new Error(run.error ?? end.error ?? 'Training failed');
  return run;
}

export const trainCommand: Command = {
  usage:
    'train (DIR | --dataset ID) [--method aurakd|kd|selfkd|ce] [--student sarnet] [--teacher resnet18] [--epochs 15] [--teacher-epochs 10 | --teacher-model ID] [--tau 4] [--batch 32] [--lr 1e-3] [--seed 1] [--size 64] [--preset paper|fastCpu|sarCpu] [--set key=value]… [--backend auto|wasm|cpu|tensorflow] [--out DIR] [--json]',
  summary: 'Train a run (imports DIR first when given), record it in the history and evaluate it',
  async run(ctx) {
    const datasetFlag = ctx.flags.number('dataset', { integer: true, min: 1 });
    const [dir] = ctx.positionals;
    if (!dir && datasetFlag === undefined) throw new UsageError('train needs a folder or --dataset ID');
    const outDir = ctx.flags.string('out');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      const datasetId = datasetFlag ?? (await importDataset(session, ctx, dir));
      const run = await trainAndWait(session, ctx, datasetId);
      if (outDir && run.status === 'done') {
        const student = run.models.find((m) => m.kind === 'student');
        if (student) {
          await mkdir(resolve(outDir), { recursive: true });
          await cp(student.dir, resolve(outDir), { recursive: true });
        }
      }
      if (ctx.json) ctx.out(JSON.stringify(run, null, 2));
      else {
        printRun(ctx, run);
        if (outDir) ctx.out(`Student model written to ${resolve(outDir)}`);
      }
      return run.status === 'done' ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};

export const evalCommand: Command = {
  usage: 'eval --run ID [--json]',
  summary: "Show a run's evaluation: accuracy, balanced accuracy, per-class metrics, confusion matrix, ECE",
  async run(ctx) {
    const runId = ctx.flags.number('run', { integer: true, min: 1 });
    if (runId === undefined) throw new UsageError('eval needs --run ID');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      const e = await session.call('eval.get', { runId });
      if (!e) throw new Error(`Run ${runId} has no evaluation (it has not finished)`);
      if (ctx.json) ctx.out(JSON.stringify(e, null, 2));
      else printEvaluation(ctx, e);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export const classifyCommand: Command = {
  usage: 'classify --model ID|DIR --input DIR [--out predictions.csv] [--geojson out.geojson] [--json]',
  summary: 'Classify a folder of new chips with a stored (ID) or saved (DIR) model → CSV with class, probabilities, entropy',
  async run(ctx) {
    const modelArg = ctx.flags.string('model');
    const input = ctx.flags.string('input') ?? ctx.positionals[0];
    const outFile = ctx.flags.string('out');
    const geoFile = ctx.flags.string('geojson');
    if (!modelArg || !input) throw new UsageError('classify needs --model and --input');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      let modelId = Number(modelArg);
      if (!Number.isInteger(modelId) || modelId <= 0) {
        const dir = resolve(modelArg);
        if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--model: no model id or folder "${modelArg}"`);
        modelId = (await session.call('models.import', { dir })).id;
      }
      const { classificationId, job } = await session.call('classify.start', { modelId, folder: resolve(input) });
      const end = await session.waitForJob(job, { quiet: ctx.json });
      if (end.status !== 'done') throw new Error(end.error ?? `Classification ${end.status}`);
      const csv = await session.call('classify.export', { classificationId, format: 'csv' });
      const result = await session.call('classify.get', { classificationId });
      if (outFile) await writeFile(resolve(outFile), csv.content);
      if (geoFile) await writeFile(resolve(geoFile), (await session.call('classify.export', { classificationId, format: 'geojson' })).content);
      if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
      else if (!outFile) ctx.out(csv.content.trimEnd());
      else ctx.out(`${result.rows.length} chips classified → ${resolve(outFile)}${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''}`);
      for (const s of ctx.json ? [] : result.skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
      return 0;
    } finally {
      await session.close();
    }
  },
};
