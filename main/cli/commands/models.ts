/** aura-kd models list|export|import|delete: the saved models (ids for --teacher-model and classify --model). */
import { resolve } from 'node:path';
import type { ModelSummary } from '../../api/contract.js';
import { UsageError } from '../args.js';
import { pct, table } from '../output.js';
import { openSession } from '../session.js';
import type { Command, CommandContext } from './types.js';

const KINDS = ['student', 'teacher', 'imported'];

/** A run's saved models on one line, e.g. "  models: #6 student sarnet (test 99.76%) · #5 teacher resnet18 (test 98.06%)". */
export function printModels(ctx: CommandContext, models: readonly ModelSummary[]): void {
  const saved = models.filter((m) => m.kind !== 'online');
  if (saved.length) ctx.out(`  models: ${saved.map((m) => `#${m.id} ${m.kind} ${m.backbone}${m.accuracy === null ? '' : ` (test ${pct(m.accuracy)})`}`).join(' · ')}`);
}

function modelId(text: string | undefined, sub: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`models ${sub} needs a model id (models list shows them)`);
  return id;
}

export const modelsCommand: Command = {
  usage: 'models list [--run ID] [--kind student|teacher|imported] | models export ID DIR | models import DIR | models delete ID [--cascade]',
  summary: 'Saved models: their ids (for train --teacher-model and classify --model), export to a folder, import one, delete an imported one',
  async run(ctx) {
    const [sub = 'list', first, second] = ctx.positionals;
    const session = await openSession({ dataDir: ctx.dataDir });
    try {
      if (sub === 'list') {
        const runId = ctx.flags.number('run', { integer: true, min: 1 });
        const kind = ctx.flags.string('kind');
        if (kind !== undefined && !KINDS.includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
        const list = (await session.call('models.list', {})).filter((m) => (runId === undefined || m.runId === runId) && (kind === undefined || m.kind === kind));
        if (ctx.json) ctx.out(JSON.stringify(list, null, 2));
        else {
          const rows = list.map((m) => [m.id, m.kind, m.backbone, m.method ?? '–', m.runId === null ? '–' : `#${m.runId} ${m.runName ?? ''}`.trim(), m.classes.length, `${m.inputSize}×${m.inputSize}×${m.channels}`, pct(m.accuracy), m.createdAt.slice(0, 16)]);
          ctx.out(table(['id', 'kind', 'network', 'method', 'run', 'classes', 'input', 'test acc', 'created'], rows));
          ctx.out(`${list.length} model(s)`);
        }
        return 0;
      }
      if (sub === 'export') {
        if (!second) throw new UsageError('models export needs a model id and a destination folder');
        const id = modelId(first, sub);
        const { dir } = await session.call('models.export', { modelId: id, destDir: resolve(second) });
        ctx.out(ctx.json ? JSON.stringify({ dir }) : `Model ${id} exported to ${dir}`);
        return 0;
      }
      if (sub === 'import') {
        if (!first) throw new UsageError('models import needs the folder of an exported model');
        const m = await session.call('models.import', { dir: resolve(first) });
        ctx.out(ctx.json ? JSON.stringify(m, null, 2) : `Imported as model ${m.id} (${m.backbone}, ${m.classes.length} classes: ${m.classes.join(', ')})`);
        return 0;
      }
      if (sub === 'delete') {
        const id = modelId(first, sub);
        const r = await session.call('models.delete', { modelId: id, cascade: ctx.flags.bool('cascade') });
        ctx.out(ctx.json ? JSON.stringify(r) : `Deleted model ${id}${r.classificationsDeleted ? ` and ${r.classificationsDeleted} classification(s) made with it` : ''}`);
        return 0;
      }
      throw new UsageError(`Unknown models subcommand: ${sub}`);
    } finally {
      await session.close();
    }
  },
};
