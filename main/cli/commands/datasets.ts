/** aura-kd import DIR · aura-kd datasets list|show|delete */
import { resolve } from 'node:path';
import { UsageError } from '../args.js';
import { pct, table } from '../output.js';
import { openSession, type CliSession } from '../session.js';
import type { Command, CommandContext } from './types.js';

export function preprocessFlags(ctx: CommandContext): Record<string, unknown> | undefined {
  const p: Record<string, unknown> = {};
  const size = ctx.flags.number('size', { integer: true, min: 16, max: 256 });
  if (size !== undefined) p.size = size;
  const intensity = ctx.flags.string('intensity');
  if (intensity !== undefined) p.intensity = intensity;
  const normalise = ctx.flags.string('normalise');
  if (normalise !== undefined) p.normalise = normalise;
  const channels = ctx.flags.number('channels', { integer: true, min: 1, max: 2 });
  if (channels !== undefined) p.channels = channels;
  return Object.keys(p).length ? p : undefined;
}

/** Import a folder and wait; returns the new dataset id. */
export async function importDataset(session: CliSession, ctx: CommandContext, root: string, testRoot?: string): Promise<number> {
  const groupBy = ctx.flags.string('group-by') ?? 'none';
  if (groupBy !== 'none' && groupBy !== 'scene') throw new UsageError('--group-by must be none or scene');
  const job = await session.call('datasets.import', {
    root: resolve(root),
    name: ctx.flags.string('name'),
    valFraction: ctx.flags.number('val', { min: 0, max: 0.5 }),
    testRoot: testRoot === undefined ? undefined : resolve(testRoot),
    testFraction: testRoot === undefined ? ctx.flags.number('test', { min: 0, max: 0.5 }) : 0,
    seed: ctx.flags.number('split-seed', { integer: true, min: 0 }),
    groupBy,
    preprocess: preprocessFlags(ctx),
  });
  const end = await session.waitForJob(job, { quiet: ctx.json });
  if (end.status !== 'done' || end.datasetId === null) throw new Error(end.error ?? `Import ${end.status}`);
  return end.datasetId;
}

async function printDataset(session: CliSession, ctx: CommandContext, datasetId: number): Promise<void> {
  const d = await session.call('datasets.get', { datasetId });
  if (ctx.json) return ctx.out(JSON.stringify(d, null, 2));
  ctx.out(`Dataset ${d.id}: ${d.name}  (${d.root})`);
  ctx.out(`  ${d.sampleCount} chips, ${d.classes.length} classes; train ${d.splitCounts.train} · val ${d.splitCounts.val} · test ${d.splitCounts.test}`);
  ctx.out(`  preprocessing: ${d.preprocess.size}×${d.preprocess.size} centre crop/pad, ${d.preprocess.intensity}, normalise ${d.preprocess.normalise}, ${d.preprocess.channels} channel(s)`);
  ctx.out(table(['class', 'train', 'val', 'test'], d.classes.map((c, i) => [c, d.classCounts.train[i], d.classCounts.val[i], d.classCounts.test[i]])));
  ctx.out(`  chip sizes: ${d.sizeHistogram.slice(0, 6).map((s) => `${s.size} (${s.count})`).join(', ')}`);
  if (d.skipped.length) {
    ctx.out(`  skipped ${d.skipped.length} file(s):`);
    for (const s of d.skipped.slice(0, 20)) ctx.out(`    ${s.path}: ${s.reason}`);
    if (d.skipped.length > 20) ctx.out(`    … and ${d.skipped.length - 20} more`);
  }
}

export const importCommand: Command = {
  usage: 'import DIR [--test-dir DIR] [--name N] [--val 0.15] [--test 0.15] [--split-seed 1] [--group-by none|scene] [--size N] [--intensity linear|log|db] [--normalise chip|dataset|none] [--channels 1|2]',
  summary: 'Import a folder of chips (<root>/<class>/* or <root>/<split>/<class>/*) into the history',
  async run(ctx) {
    const [root] = ctx.positionals;
    if (!root) throw new UsageError('import needs a folder');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      const id = await importDataset(session, ctx, root, ctx.flags.string('test-dir'));
      await printDataset(session, ctx, id);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export const datasetsCommand: Command = {
  usage: 'datasets list | datasets show ID | datasets delete ID [--cascade]',
  summary: 'List, show or delete imported datasets',
  async run(ctx) {
    const [sub, idText] = ctx.positionals;
    const cascade = ctx.flags.bool('cascade');
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      if (sub === 'list' || sub === undefined) {
        const list = await session.call('datasets.list', {});
        if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
        else ctx.out(table(['id', 'name', 'chips', 'classes', 'train/val/test', 'created'], list.map((d) => [d.id, d.name, d.sampleCount, d.classes.length, `${d.splitCounts.train}/${d.splitCounts.val}/${d.splitCounts.test}`, d.createdAt.slice(0, 16)])));
        return 0;
      }
      const datasetId = Number(idText);
      if (!Number.isInteger(datasetId) || datasetId <= 0) throw new UsageError(`datasets ${sub} needs a dataset id`);
      if (sub === 'show') await printDataset(session, ctx, datasetId);
      else if (sub === 'delete') {
        const r = await session.call('datasets.delete', { datasetId, cascade });
        ctx.out(ctx.json ? JSON.stringify(r) : `Deleted dataset ${datasetId}${r.runsDeleted ? ` and ${r.runsDeleted} run(s)` : ''}`);
      } else throw new UsageError(`Unknown datasets subcommand: ${sub}`);
      return 0;
    } finally {
      await session.close();
    }
  },
};

export { pct };
