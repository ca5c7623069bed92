import { describe, expect, it } from 'vitest';
import { resolveTrainConfig } from '../../../main/api/train-config.js';
import { Flags, UsageError, parseArgs } from '../../../main/cli/args.js';
import { CONFIG_FLAGS, configPatchFromFlags } from '../../../main/cli/commands/train.js';
import { TRAIN_OPTION_SPECS } from '../../../main/engine/config.js';

describe('parseArgs / Flags', () => {
  const bools = new Set(['json', 'quick']);

  it('parses positionals, values, = form, switches and --no-', () => {
    const p = parseArgs(['train', 'data/dir', '--epochs', '3', '--tau=2', '--json', '--no-quick', '--set', 'a=1', '--set', 'b=2'], bools);
    expect(p.positionals).toEqual(['train', 'data/dir']);
    const f = new Flags(p);
    expect(f.number('epochs', { integer: true })).toBe(3);
    expect(f.number('tau')).toBe(2);
    expect(f.bool('json')).toBe(true);
    expect(f.bool('quick')).toBe(false);
    expect(f.list('set')).toEqual(['a=1', 'b=2']);
    expect(() => f.assertAllUsed()).not.toThrow();
  });

  it('fails with one clear line on bad input', () => {
    expect(() => parseArgs(['--epochs'], bools)).toThrow('Option --epochs needs a value');
    const f = new Flags(parseArgs(['--epochs', 'x', '--bogus', '1'], bools));
    expect(() => f.number('epochs')).toThrow('Option --epochs must be a number, got "x"');
    expect(() => f.assertAllUsed()).toThrow(UsageError);
    expect(() => f.assertAllUsed()).toThrow('Unknown option --bogus');
    const g = new Flags(parseArgs(['--batch', '0'], bools));
    expect(() => g.number('batch', { min: 2 })).toThrow('Option --batch must be ≥ 2, got 0');
  });
});

describe('training flags → config patch', () => {
  it('maps every named flag onto an option the API knows, e.g. --offline-prior', () => {
    const keys = new Set([...TRAIN_OPTION_SPECS.map((s) => s.key), 'preset']);
    for (const [flag, key] of Object.entries(CONFIG_FLAGS)) expect(keys.has(key), `--${flag} → ${key}`).toBe(true);
    const flags = new Flags(parseArgs(['train', '--offline-prior', '2', '--tau', '1', '--set', 'distill.weighting=camkd'], new Set()));
    const patch = configPatchFromFlags({ positionals: [], flags, json: false, dataDir: undefined, out: () => {} });
    expect(patch).toEqual({ 'distill.offlinePrior': '2', 'distill.tau': '1', 'distill.weighting': 'camkd' });
    expect(resolveTrainConfig(patch).distill).toMatchObject({ offlinePrior: 2, tau: 1, weighting: 'camkd' });
  });
});
