/** aura-kd experiment: CE, KD, Self-KD and AURA-KD on one dataset over seeds (+ τ sweep), as one table. */
import type { ExperimentDetailDto, MeanStd, ResultRow } from '../../api/contract.js';
import { METHOD_LABELS } from '../../engine/config.js';
import { describePaired } from '../../experiments/paired.js';
import { UsageError } from '../args.js';
import { formatDuration, table } from '../output.js';
import { openSession, type CliSession } from '../session.js';
import { importDataset } from './datasets.js';
import { configPatchFromFlags } from './train.js';
import type { Command, CommandContext } from './types.js';

const LABEL: Record<string, string> = { ...METHOD_LABELS, teacher: 'Offline teacher' };

function numberList(ctx: CommandContext, flag: string, opts: { integer: boolean }): number[] | undefined {
  const raw = ctx.flags.string(flag);
  if (raw === undefined) return undefined;
  return raw.split(',').map((t) => {
    const v = Number(t.trim());
    if (t.trim() === '' || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) throw new UsageError(`--${flag} expects comma-separated ${opts.integer ? 'integers' : 'numbers'}, got "${raw}"`);
    return v;
  });
}

/** mean ± std in %; a single seed has no spread to show. */
const fmt = (m: MeanStd | null, n: number) => (!m ? '–' : n > 1 ? `${(m.mean * 100).toFixed(2)} ± ${(m.std * 100).toFixed(2)}` : (m.mean * 100).toFixed(2));

function rowCells(r: ResultRow, first: string): string[] {
  const count = r.failed ? `${r.n}/${r.planned} (${r.failed} failed or cancelled)` : `${r.n}/${r.planned}`;
  return [first, count, fmt(r.accuracy, r.n), fmt(r.balancedAccuracy, r.n), fmt(r.macroF1, r.n), fmt(r.valAccuracy, r.n), formatDuration(r.meanDurationSec)];
}

const HEADERS = ['seeds', 'test accuracy %', 'balanced accuracy %', 'macro-F1 %', 'val accuracy %', 'time/run'];

function markdown(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

const yesNo = (v: boolean | null) => (v === null ? 'not yet' : v ? 'holds' : 'does NOT hold');

/** The experiment's tables as text (plain or Markdown). */
export function formatExperiment(e: ExperimentDetailDto, asMarkdown: boolean): string {
  const render = (headers: string[], rows: string[][]) => (asMarkdown ? markdown(headers, rows) : table(headers, rows));
  const c = e.config;
  const lines = [
    `Experiment ${e.id} "${e.name}" on dataset ${e.datasetName}: ${e.done}/${e.runs} runs done${e.failed ? `, ${e.failed} failed/cancelled` : ''}`,
    `student ${c.student}, offline teacher ${c.teacher} (${c.teacherEpochs} epochs CE, frozen${e.sharedTeacher ? `, one for all seeds: seed ${e.seeds[0]}` : ', one per seed'}), ${c.epochs} epochs, batch ${c.batchSize}, lr ${c.learningRate} ${c.lrSchedule ?? 'constant'}, ` +
      `weight decay ${c.weightDecay}, τ ${c.distill.tau}, input ${c.preprocess.size}×${c.preprocess.size} ${c.preprocess.intensity}, shift ±${c.augment.shift}px${c.augment.flip ? ', random flips' : ''}${c.balancedSampling ? ', class-balanced batches' : ''}; seeds ${e.seeds.join(', ')}`,
    '',
  ];
  const rows = e.tables.methods.map((r) => rowCells(r, LABEL[r.method] ?? r.method));
  if (e.tables.teacher) rows.unshift(rowCells(e.tables.teacher, LABEL.teacher));
  lines.push(render(['method', ...HEADERS], rows), '');
  const o = e.tables.ordering;
  const verdicts = [
    ['aurakd', 'kd', `AURA-KD ≥ KD ${yesNo(o.auraKdGeKd)}`],
    ['kd', 'ce', `KD ≥ CE ${yesNo(o.kdGeCe)}`],
    ['selfkd', 'ce', `Self-KD ≥ CE ${yesNo(o.selfKdGeCe)}`],
  ].filter(([a, b]) => e.methods.includes(a) && e.methods.includes(b));
  if (verdicts.length) lines.push(`Mean test accuracy: ${verdicts.map((v) => v[2]).join(' · ')}`);
  if (e.paired.length) {
    if (verdicts.length) lines.push('');
    lines.push('Paired on the same test chips (seeds pooled; a p-value above 0.05 means the gap is within chance):');
    for (const p of e.paired) lines.push(`${asMarkdown ? '* ' : '  '}${describePaired(p, (m) => LABEL[m] ?? m)}`);
  }
  const analysed = e.analysis.methods.filter((m) => m.seeds > 0);
  if (analysed.length) {
    const recallRows = e.analysis.classes.map((c, i) => [c, ...analysed.map((m) => (m.recall[i] * 100).toFixed(1))]);
    lines.push('', 'Per-class test recall, mean over seeds (%):', render(['class', ...analysed.map((m) => LABEL[m.method] ?? m.method)], recallRows));
    lines.push('', 'Most frequent confusions (true → predicted, test chips pooled over seeds):');
    for (const m of analysed) {
      const top = m.topConfusions.map((c) => `${c.trueClass} → ${c.predictedClass} ×${c.count}`).join(', ');
      lines.push(`${asMarkdown ? '* ' : '  '}${LABEL[m.method] ?? m.method}: ${top || 'none'}`);
    }
    for (const m of analysed.filter((x) => x.wOff.length)) {
      lines.push('', `${LABEL[m.method]} w_off by epoch (mean over seeds ± mean spread over chips): ${m.wOff.map((p) => `${p.epoch}: ${p.mean.toFixed(2)}±${p.std.toFixed(2)}`).join(' · ')}`);
    }
  }
  if (e.tables.tau.length) {
    lines.push('', `τ sweep (AURA-KD, seed${e.tauSeeds.length > 1 ? 's' : ''} ${e.tauSeeds.join(', ')}):`, render(['τ', ...HEADERS], e.tables.tau.map((r) => rowCells(r, String(r.tau)))));
  }
  return lines.join('\n');
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
    'experiment (DIR | --dataset ID | --train DIR --test DIR) [--methods ce,kd,selfkd,aurakd] [--seeds 1,2,3] [--taus 1,2,4,6,8] [--tau-seeds 1] [--shared-teacher] [train options…] [--markdown] [--json] | experiment show ID | experiment resume ID | experiment list',
  summary: 'Compare CE, KD, Self-KD and AURA-KD on one dataset (same student, teacher, budget, seeds; optional τ sweep) → mean ± std table',
  async run(ctx) {
    const [first, second] = ctx.positionals;
    const asMarkdown = ctx.flags.bool('markdown');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      const show = async (experimentId: number) => {
        const e = await session.call('experiments.get', { experimentId });
        ctx.out(ctx.json ? JSON.stringify(e, null, 2) : formatExperiment(e, asMarkdown));
        return e;
      };
      if (first === 'list') {
        const list = await session.call('experiments.list', {});
        if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
        else ctx.out(table(['id', 'name', 'dataset', 'methods', 'seeds', 'τ sweep', 'done', 'created'], list.map((e) => [e.id, e.name, e.datasetName, e.methods.join(','), e.seeds.join(','), e.taus.join(',') || '–', `${e.done}/${e.runs}`, e.createdAt.slice(0, 16)])));
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
