/**
 * Seeded, stratified train/val/test splits.
 *
 * Per class the targets are nTest = round(n·test), nVal = round(n·val), the rest train (train keeps
 * at least one chip). Units — single chips, or whole groups when `respectGroups` — are put in a
 * canonical order (by first key), shuffled with the seed, stable-sorted largest first, and each unit
 * goes to the split with the largest remaining deficit summed over its chips' classes. For single
 * chips this meets the targets exactly; a group is never divided (counts may then miss the targets by
 * up to one group). Same samples + same options → same split, whatever the input order.
 */
import { createRng, shuffleInPlace } from './random.js';
import type { SampleRecord, Split } from './types.js';
import { compareCodePoints } from './listChipFiles.js';

export interface SplitOptions {
  /** Fraction of each class for validation, 0 ≤ val < 1. */
  val: number;
  /** Fraction of each class for test, 0 ≤ test < 1, val + test < 1. */
  test: number;
  seed: number;
  /** Keep every chip of a group (SampleRecord.group) in one split. Default false. */
  respectGroups?: boolean;
}

type Fractions = Record<Split, number>;
const ORDER: Split[] = ['test', 'val', 'train']; // tie-break order when deficits are equal

function classTargets(n: number, f: Fractions): Record<Split, number> {
  let test = Math.round(n * f.test);
  let val = Math.round(n * f.val);
  while (n - test - val < 1 && val + test > 0) {
    if (val >= test && val > 0) val--;
    else test--;
  }
  return { train: n - test - val, val, test };
}

/** Core assignment over `samples` (all of them are distributed over the splits with fractions f). */
function distribute(samples: SampleRecord[], f: Fractions, seed: number, respectGroups: boolean): Map<string, Split> {
  const byLabel = new Map<number, number>();
  for (const s of samples) byLabel.set(s.label, (byLabel.get(s.label) ?? 0) + 1);
  const deficit = new Map<number, Record<Split, number>>();
  for (const [label, n] of byLabel) deficit.set(label, classTargets(n, f));

  const units = new Map<string, SampleRecord[]>();
  for (const s of [...samples].sort((a, b) => compareCodePoints(a.key, b.key))) {
    const id = respectGroups && s.group !== undefined ? `g:${s.group}` : `k:${s.key}`;
    const unit = units.get(id);
    if (unit) unit.push(s);
    else units.set(id, [s]);
  }
  const ordered = [...units.values()];
  shuffleInPlace(ordered, createRng(seed));
  ordered.sort((a, b) => b.length - a.length); // stable: equal sizes keep the shuffled order

  const result = new Map<string, Split>();
  for (const unit of ordered) {
    let best: Split = 'train';
    let bestScore = -Infinity;
    for (const split of ORDER) {
      let score = 0;
      for (const s of unit) score += deficit.get(s.label)![split];
      if (score > bestScore) {
        bestScore = score;
        best = split;
      }
    }
    for (const s of unit) {
      deficit.get(s.label)![best] -= 1;
      result.set(s.key, best);
    }
  }
  return result;
}

function checkFraction(name: string, v: number): void {
  if (!Number.isFinite(v) || v < 0 || v >= 1) throw new RangeError(`${name} fraction must be in [0, 1), got ${v}`);
}

/** Returns copies of `samples` (same order) with `split` assigned; every input split is overwritten. */
export function assignSplits(samples: SampleRecord[], opts: SplitOptions): SampleRecord[] {
  checkFraction('val', opts.val);
  checkFraction('test', opts.test);
  if (opts.val + opts.test >= 1) throw new RangeError(`val + test must be < 1, got ${opts.val + opts.test}`);
  const split = distribute(samples, { train: 1 - opts.val - opts.test, val: opts.val, test: opts.test }, opts.seed, opts.respectGroups ?? false);
  return samples.map((s) => ({ ...s, split: split.get(s.key)! }));
}

/**
 * Moves `fraction` of each class's 'train' chips to 'val' (stratified, seeded); other splits untouched.
 * Returns copies in the input order.
 */
export function carveValidation(samples: SampleRecord[], fraction: number, seed: number, respectGroups = false): SampleRecord[] {
  checkFraction('validation', fraction);
  const train = samples.filter((s) => s.split === 'train');
  const split = distribute(train, { train: 1 - fraction, val: fraction, test: 0 }, seed, respectGroups);
  return samples.map((s) => (s.split === 'train' ? { ...s, split: split.get(s.key)! } : { ...s }));
}
