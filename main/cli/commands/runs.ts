/** aura-kd runs list|show|compare|delete|tag|note|resume|cancel */
import type { CompareResult } from '../../api/contract.js';
import { formatRunPair } from '../../experiments/paired.js';
import { UsageError } from '../args.js';
import { formatDuration, pct, table } from '../output.js';
import { openSession } from '../session.js';
import { printModels } from './models.js';
import { printEvaluation } from './train.js';
import type { Command } from './types.js';

const ids = (values: string[]): number[] =>
  values.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`Not a run id: ${v}`);
    return n;
  });

/** The 'test chips vs #first' row of runs compare (none when no later run shares the first run's test chips). */
function pairedRow(cmp: CompareResult): string[][] {
  if (cmp.paired.length === 0) return [];
  const cell = (runId: number) => {
    const p = cmp.paired.find((x) => x.runId === runId);
    return p ? formatRunPair(p) : '–';
  };
  return [[`test chips vs #${cmp.runs[0].id} (+ only here / − only there)`, 'reference', ...cmp.runs.slice(1).map((r) => cell(r.id))]];
}

export const runsCommand: Command = {
  usage:
    'runs list [--dataset ID] [--method M] [--status S] [--tag T] [--search TEXT] [--sort valAccuracy|testAccuracy|createdAt|…] [--asc] [--limit N] | runs show ID | runs compare ID ID… | runs delete ID [--cascade] | runs tag ID +tag -tag | runs note ID TEXT | runs cancel ID | runs resume ID',
  summary: 'Query and manage the run history',
  async run(ctx) {
    const [sub = 'list', ...rest] = ctx.positionals;
    const listFilters = {
      datasetId: ctx.flags.number('dataset', { integer: true, min: 1 }),
      method: ctx.flags.string('method') as never,
      status: ctx.flags.string('status') as never,
      tag: ctx.flags.string('tag'),
      search: ctx.flags.string('search'),
      sortBy: (ctx.flags.string('sort') ?? 'createdAt') as never,
      sortDir: ctx.flags.bool('asc') ? ('asc' as const) : ('desc' as const),
      limit: ctx.flags.number('limit', { integer: true, min: 1, max: 1000 }) ?? 50,
    };
    const session = await openSession({ dataDir: ctx.dataDir });
    const print = (value: unknown, text: () => string) => ctx.out(ctx.json ? JSON.stringify(value, null, 2) : text());
    try {
      switch (sub) {
        case 'list': {
          const page = await session.call('runs.list', listFilters);
          print(page, () =>
            table(
              ['id', 'name', 'dataset', 'method', 'status', 'val acc', 'test acc', 'bal acc', 'macro-F1', 'time', 'tags'],
              page.items.map((r) => [r.id, r.name, r.datasetName, r.method, r.status, pct(r.valAccuracy), pct(r.testAccuracy), pct(r.balancedAccuracy), pct(r.macroF1), formatDuration(r.durationSec), r.tags.join(' ')]),
            ) + `\n${page.items.length} of ${page.total} run(s)`,
          );
          return 0;
        }
        case 'show': {
          const [runId] = ids(rest.slice(0, 1));
          if (!runId) throw new UsageError('runs show needs a run id');
          const run = await session.call('runs.get', { runId });
          if (ctx.json) return print(run, () => ''), 0;
          ctx.out(`Run ${run.id} "${run.name}" — ${run.status}${run.error ? ` (${run.error})` : ''}`);
          ctx.out(`  dataset ${run.datasetName}, ${run.method}: ${run.teacher ? `${run.teacher} → ` : ''}${run.student}, seed ${run.seed}, backend ${run.backend ?? '–'}, ${formatDuration(run.durationSec)}`);
          if (run.teacherModelId !== null) ctx.out(`  offline teacher: saved model #${run.teacherModelId}${run.parentRunId !== null ? ` (from run ${run.parentRunId})` : ''}, frozen as it was`);
          else if (run.parentRunId !== null) ctx.out(`  parent run: ${run.parentRunId}`);
          if (run.tags.length) ctx.out(`  tags: ${run.tags.join(', ')}`);
          if (run.note) ctx.out(`  note: ${run.note}`);
          printModels(ctx, run.models);
          ctx.out(
            table(
              ['phase', 'epoch', 'loss', 'CE', 'l_off', 'l_on', 'w_off', 'train acc', 'val acc', 'chips/s'],
              run.epochs.map((e) => [e.phase, e.epoch, e.loss.total.toFixed(4), e.loss.ce.toFixed(4), e.loss.off.toFixed(4), e.loss.on.toFixed(4), `${e.wOff.mean.toFixed(3)}±${e.wOff.std.toFixed(3)}`, pct(e.trainAccuracy, 1), pct(e.valAccuracy, 1), e.chipsPerSec.toFixed(0)]),
            ),
          );
          if (run.evaluation) printEvaluation(ctx, run.evaluation);
          return 0;
        }
        case 'compare': {
          const runIds = ids(rest);
          if (runIds.length < 2) throw new UsageError('runs compare needs at least two run ids');
          const cmp = await session.call('runs.compare', { runIds });
          print(cmp, () =>
            [
              table(
                ['', ...cmp.runs.map((r) => `#${r.id} ${r.name}`)],
                [
                  ['status', ...cmp.runs.map((r) => r.status)],
                  ['val accuracy', ...cmp.runs.map((r) => pct(r.valAccuracy))],
                  ['test accuracy', ...cmp.runs.map((r) => pct(r.testAccuracy))],
                  ['balanced acc', ...cmp.runs.map((r) => pct(r.balancedAccuracy))],
                  ['macro-F1', ...cmp.runs.map((r) => pct(r.macroF1))],
                  ['ECE', ...cmp.runs.map((r) => (r.ece === null ? '–' : r.ece.toFixed(4)))],
                  ['time', ...cmp.runs.map((r) => formatDuration(r.durationSec))],
                  ...pairedRow(cmp),
                  ...cmp.configDiff.map((d) => [d.key, ...d.values.map((v) => (v === null ? 'not used' : JSON.stringify(v)))]),
                ],
              ),
            ].join('\n'),
          );
          return 0;
        }
        case 'delete': {
          const [runId] = ids(rest.slice(0, 1));
          const r = await session.call('runs.delete', { runId, cascade: ctx.flags.bool('cascade') });
          print({ deleted: runId, classificationsDeleted: r.classificationsDeleted }, () =>
            `Deleted run ${runId} and its files${r.classificationsDeleted ? ` and ${r.classificationsDeleted} classification(s) made with its models` : ''}`,
          );
          return 0;
        }
        case 'tag': {
          const [runId] = ids(rest.slice(0, 1));
          const add = rest.slice(1).filter((t) => !t.startsWith('-')).map((t) => t.replace(/^\+/, ''));
          const remove = rest.slice(1).filter((t) => t.startsWith('-')).map((t) => t.slice(1));
          const run = await session.call('runs.tag', { runId, add, remove });
          print(run, () => `Run ${runId} tags: ${run.tags.join(', ') || '(none)'}`);
          return 0;
        }
        case 'note': {
          const [runId] = ids(rest.slice(0, 1));
          const run = await session.call('runs.note', { runId, note: rest.slice(1).join(' ') });
          print(run, () => `Run ${runId} note saved`);
          return 0;
        }
        case 'cancel': {
          const [runId] = ids(rest.slice(0, 1));
          const run = await session.call('runs.cancel', { runId });
          print(run, () => `Run ${runId}: ${run.status}`);
          return 0;
        }
        case 'resume': {
          const [runId] = ids(rest.slice(0, 1));
          const { job } = await session.call('runs.resume', { runId });
          const end = await session.waitForJob(job, { quiet: ctx.json });
          const run = await session.call('runs.get', { runId });
          if (ctx.json) ctx.out(JSON.stringify(run, null, 2));
          else {
            ctx.out(`Run ${runId}: ${run.status}${run.error ? ` (${run.error})` : ''}`);
            if (run.evaluation) printEvaluation(ctx, run.evaluation);
          }
          return end.status === 'done' ? 0 : 1;
        }
        default:
          throw new UsageError(`Unknown runs subcommand: ${sub}`);
      }
    } finally {
      await session.close();
    }
  },
};
