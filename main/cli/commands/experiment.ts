/** aura-kd experiment: CE, KD, Self-KD and AURA-KD on one dataset over seeds (+ τ sweep), as one table. */
import { experimentReport, pooledReport } from '../../experiments/report.js';
import { UsageError } from '../args.js';
import { table } from '../output.js';
import { openSession, type CliSession } from '../session.js';
import { importDataset } from './datasets.js';
import { configPatchFromFlags } from './train.js';
import type { Command, CommandContext } from './types.js';

function numberList(ctx: CommandContext, flag: string, opts: { integer: boolean }): number[] | undefined {
  const raw = ctx.flags.string(flag);
  if (raw === undefined) return undefined;
  return raw.split(',').map((t) => {
    const v = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) throw new UsageError(`--${flag} expects comma-separated ${opts.integer ? 'integers' : 'numbers'}, got "${raw}"`);
    return v;
  });
}

async function waitForExperiment(session: CliSession, ctx: CommandContext, experimentId: number, runIds: number[]): Promise<boolean> {
  for (const [i, runId] of runIds.entries()) {
    const job = (await session.call('jobs.list', {})).find((j) => j.runId === runId && (j.status === 'queued' || j.status === 'running'));
    if (!job) continue;
    if (!ctx.json) process.stderr.write(`[${i + 1}/${runIds.length}] ${job.title}\n`);
    const end = await session.waitForJob(job, { quiet: ctx.json });
    if (end.status === 'cancelled') {
      for (const rest of runIds.slice(i + 1)) await session.call('runs.cancel', { runId: rest }).catch(() => undefined);
      process.stderr.write(`Experiment ${experimentId} cancelled; finished runs stay in the history.\n`);
      return false;
    }
    if (end.status === 'failed' && !ctx.json) process.stderr.write(`  run ${runId} failed: ${end.error ?? 'unknown error'} (the experiment goes on)\n`);
  }
  return true;
}

export const experimentCommand: Command = {
  usage:
    'experiment (DIR | --dataset ID | --train DIR --test DIR) [--methods ce,kd,selfkd,aurakd] [--seeds 1,2,3] [--taus 1,2,4,6,8] [--tau-seeds 1] [--shared-teacher | --teacher-model ID] [train options…] [--markdown] [--json] | experiment show ID | experiment pool ID ID… [--markdown] | experiment resume ID | experiment list',
  summary: 'Compare CE, KD, Self-KD and AURA-KD on one dataset (same student, teacher, budget, seeds; optional τ sweep) → mean ± std table',
  async run(ctx) {
    const [first, second] = ctx.positionals;
    const asMarkdown = ctx.flags.bool('markdown');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      const show = async (experimentId: number) => {
        const e = await session.call('experiments.get', { experimentId });
        ctx.out(ctx.json ? JSON.stringify(e, null, 2) : experimentReport(e, asMarkdown ? 'markdown' : 'text'));
        return e;
      };
      if (first === 'list') {
        const list = await session.call('experiments.list', {});
        if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
        else ctx.out(table(['id', 'name', 'dataset', 'methods', 'seeds', 'τ sweep', 'done', 'created'], list.map((e) => [e.id, e.name, e.datasetName, e.methods.join(','), e.seeds.join(','), e.taus.join(',') || '–', `${e.done}/${e.runs}`, e.createdAt.slice(0, 16)])));
        return 0;
      }
      if (first === 'pool') {
        const ids = ctx.positionals.slice(1).map(Number);
        if (ids.length < 2 || ids.some((id) => !Number.isInteger(id) || id < 1)) throw new UsageError('experiment pool needs two or more experiment ids (experiment list shows them)');
        const pooled = await session.call('experiments.pool', { experimentIds: ids });
        ctx.out(ctx.json ? JSON.stringify(pooled, null, 2) : pooledReport(pooled, asMarkdown ? 'markdown' : 'text'));
        return 0;
      }
      if (first === 'show' || first === 'resume') {
        const id = Number(second);
        if (!Number.isInteger(id) || id < 1) throw new UsageError(`experiment ${first} needs an experiment id`);
        if (first === 'show') {
          await show(id);
          return 0;
        }
        const { runIds } = await session.call('experiments.resume', { experimentId: id });
        if (!ctx.json) process.stderr.write(`Experiment ${id}: ${runIds.length} run(s) queued again\n`);
        const finished = await waitForExperiment(session, ctx, id, runIds);
        const e = await show(id);
        return finished && e.failed === 0 ? 0 : 1;
      }
      const trainDir = ctx.flags.string('train');
      const testDir = trainDir === undefined ? undefined : ctx.flags.string('test');
      if (trainDir !== undefined && testDir === undefined) throw new UsageError('--train DIR needs --test DIR (the held-out chips)');
      const datasetFlag = ctx.flags.number('dataset', { integer: true, min: 1 });
      const dir = trainDir ?? first;
      if (!dir && datasetFlag === undefined) throw new UsageError('experiment needs a folder, --train DIR --test DIR, or --dataset ID');
      const methods = ctx.flags.string('methods')?.split(',').map((m) => m.trim());
      const seeds = numberList(ctx, 'seeds', { integer: true });
      const taus = numberList(ctx, 'taus', { integer: false });
      const tauSeeds = numberList(ctx, 'tau-seeds', { integer: true });
      const patch = configPatchFromFlags(ctx);
      const datasetId = datasetFlag ?? (await importDataset(session, ctx, dir, testDir));
      const started = await session.call('experiments.start', {
        datasetId,
        name: ctx.flags.string('name'),
        config: patch,
        methods: methods as never,
        seeds,
        taus,
        tauSeeds,
        sharedTeacher: ctx.flags.bool('shared-teacher'),
        teacherModelId: ctx.flags.number('teacher-model', { integer: true, min: 1 }),
      });
      if (!ctx.json) process.stderr.write(`Experiment ${started.experimentId}: ${started.runIds.length} runs queued (Ctrl-C cancels; finished runs are kept)\n`);
      const finished = await waitForExperiment(session, ctx, started.experimentId, started.runIds);
      const e = await show(started.experimentId);
      return finished && e.failed === 0 ? 0 : 1;
    } finally {
      await session.close();
    }
  },
};
