/**
 * aura-kd: the headless face of the app. Every command goes through the same API and history as
 * the desktop app (see cli/session.ts). Errors are one clear line and a non-zero exit.
 */
import { ApiError } from './api/contract.js';
import { Flags, UsageError, parseArgs } from './cli/args.js';
import { benchCommand } from './cli/commands/bench.js';
import { experimentCommand } from './cli/commands/experiment.js';
import { modelsCommand } from './cli/commands/models.js';
import { datasetsCommand, importCommand } from './cli/commands/datasets.js';
import { runsCommand } from './cli/commands/runs.js';
import { demoCommand, serveCommand } from './cli/commands/serve.js';
import { CONFIG_FLAGS, classifyCommand, evalCommand, trainCommand } from './cli/commands/train.js';
import type { Command } from './cli/commands/types.js';

const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  serve: serveCommand,
  import: importCommand,
  datasets: datasetsCommand,
  train: trainCommand,
  eval: evalCommand,
  classify: classifyCommand,
  runs: runsCommand,
  models: modelsCommand,
  experiment: experimentCommand,
  bench: benchCommand,
};

const BOOLEAN_FLAGS = new Set(['json', 'quick', 'cascade', 'asc', 'adamw', 'balanced', 'flip', 'help', 'markdown', 'shared-teacher']);

/** Every option any command reads; anything else is a typo and is refused before work starts. */
const KNOWN_FLAGS = new Set([
  ...BOOLEAN_FLAGS,
  ...Object.keys(CONFIG_FLAGS),
  ...['backend', 'data-dir', 'batch', 'channels', 'dataset', 'geojson', 'group-by', 'input', 'intensity', 'limit', 'method', 'model', 'name'],
  ...['normalise', 'out', 'port', 'run', 'search', 'set', 'size', 'sort', 'split-seed', 'status', 'steps', 'tag', 'test', 'val'],
  ...['backends', 'models', 'sizes', 'kind'],
  ...['methods', 'seeds', 'taus', 'tau-seeds', 'train', 'test-dir', 'teacher-model'],
]);

function help(): string {
  const lines = ['aura-kd — SAR chip classification with AURA-KD distillation', '', 'Commands:'];
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(9)} ${c.summary}`, `            aura-kd ${c.usage}`);
  lines.push('', 'Global options: --data-dir DIR (history location; env AURA_KD_DATA_DIR), --backend auto|tensorflow|wasm|cpu, --json');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const out = (text: string) => process.stdout.write(text + '\n');
  try {
    const parsed = parseArgs(argv, BOOLEAN_FLAGS);
    const [name, ...positionals] = parsed.positionals;
    const flags = new Flags(parsed);
    if (!name || name === 'help' || flags.bool('help')) {
      out(help());
      return name || flags.bool('help') ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`Unknown command "${name}" (aura-kd help lists them)`);
    const backend = flags.string('backend');
    if (backend !== undefined) {
      if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new UsageError('--backend must be auto, tensorflow, wasm or cpu');
      process.env.AURA_KD_BACKEND = backend; // inherited by job processes
    }
    const dataDir = flags.string('data-dir');
    const json = flags.bool('json');
    for (const flag of parsed.flags.keys()) {
      if (!KNOWN_FLAGS.has(flag)) throw new UsageError(`Unknown option --${flag} (aura-kd help lists the options)`);
    }
    return await command.run({ positionals, flags, json, dataDir, out });
  } catch (err) {
    const message = err instanceof UsageError ? `${err.message}` : err instanceof ApiError ? err.message : err instanceof Error ? err.message : String(err);
    process.stderr.write(`aura-kd: ${message}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
}
