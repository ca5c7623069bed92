/** aura-kd bench: training/inference throughput per backend, AURA-KD step cost, peak RSS. */
import { UsageError } from '../args.js';
import { BACKBONES, type Backbone, type BackendPreference } from '../../engine/config.js';
import type { Command } from './types.js';

export const benchCommand: Command = {
  usage: 'bench [--json] [--quick] [--backends wasm,cpu] [--models resnet18,sarnet] [--sizes 64,88] [--batch 32] [--steps N]',
  summary: 'Measure training and inference throughput (chips/s) per available backend; prints JSON with --json',
  async run(ctx) {
    const list = (name: string) => ctx.flags.string(name)?.split(',').map((s) => s.trim()).filter(Boolean);
    const models = list('models');
    for (const m of models ?? []) if (!BACKBONES.includes(m as Backbone)) throw new UsageError(`--models: unknown backbone ${m}`);
    // Loaded on demand: the benchmark pulls in every model and backend.
    const { runBenchmark } = await import('../../engine/bench.js');
    const report = await runBenchmark({
      backends: list('backends') as BackendPreference[] | undefined,
      models: models as Backbone[] | undefined,
      sizes: list('sizes')?.map(Number),
      batch: ctx.flags.number('batch', { integer: true, min: 1, max: 256 }),
      steps: ctx.flags.number('steps', { integer: true, min: 1, max: 1000 }),
      quick: ctx.flags.bool('quick'),
      onLog: ctx.json ? undefined : (line: string) => process.stderr.write(line + '\n'),
    });
    ctx.out(JSON.stringify(report, null, ctx.json ? 0 : 2));
    return 0;
  },
};
