/**
 * Paired comparison of two methods on the same test chips: with seeds paired (method A seed s vs
 * method B seed s), which chips only one of the two got right, pooled over seeds, and the exact
 * two-sided McNemar test on those discordant chips. It answers whether a difference in mean accuracy
 * is more than a few chips going either way.
 */
import { ORDERING_PAIRS } from './summary.js';

export interface PairedComparison {
  /** The method claimed to be at least as good (e.g. 'aurakd') and the one it is compared with. */
  a: string;
  b: string;
  /** Seeds where both methods have a test evaluation. */
  seeds: number;
  /** Chip evaluations compared (chips × seeds). */
  chips: number;
  /** Chips right only under A / only under B, pooled over seeds. */
  aOnly: number;
  bOnly: number;
  /**
   * Exact two-sided McNemar p-value on (aOnly, bOnly); 1 when no chip differs. Seeds reuse the same
   * chips, so pooling treats them as independent pairs: read it as a guide, not a proof.
   */
  pValue: number;
}

/** Correctness of each test chip (by sample key) in one evaluation. */
export type ChipCorrectness = ReadonlyMap<string, boolean>;

/** Exact two-sided McNemar test: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½), capped at 1. */
export function mcnemarExactP(b: number, c: number): number {
  for (const v of [b, c]) if (!Number.isInteger(v) || v < 0) throw new RangeError(`McNemar counts must be non-negative integers, got ${b}, ${c}`);
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // Σ_{i ≤ k} C(n, i) / 2ⁿ, each term from the previous one: exact in doubles for small n (2⁻ⁿ and the
  // ratios are), in log space beyond where 2⁻ⁿ would underflow.
  const small = n <= 1000;
  let term = small ? 2 ** -n : -n * Math.LN2;
  let tail = small ? term : Math.exp(term);
  for (let i = 1; i <= k; i++) {
    const ratio = (n - i + 1) / i;
    term = small ? term * ratio : term + Math.log(ratio);
    tail += small ? term : Math.exp(term);
  }
  return Math.min(1, 2 * tail);
}

/** Chips in both maps, and those right only in `a` / only in `b`. */
export function discordance(a: ChipCorrectness, b: ChipCorrectness): { chips: number; aOnly: number; bOnly: number } {
  let [chips, aOnly, bOnly] = [0, 0, 0];
  for (const [key, aRight] of a) {
    const bRight = b.get(key);
    if (bRight === undefined) continue;
    chips++;
    if (aRight && !bRight) aOnly++;
    else if (bRight && !aRight) bOnly++;
  }
  return { chips, aOnly, bOnly };
}

/**
 * Pools the seeds both methods finished. `a` and `b` map seed → that run's test-chip correctness;
 * chips are matched by key (a chip missing from either evaluation is left out).
 * Null when no seed has both.
 */
export function pairedComparison(
  methods: { a: string; b: string },
  a: ReadonlyMap<number, ChipCorrectness>,
  b: ReadonlyMap<number, ChipCorrectness>,
): PairedComparison | null {
  let seeds = 0;
  let chips = 0;
  let aOnly = 0;
  let bOnly = 0;
  for (const [seed, right] of a) {
    const other = b.get(seed);
    if (!other) continue;
    seeds++;
    const d = discordance(right, other);
    chips += d.chips;
    aOnly += d.aOnly;
    bOnly += d.bOnly;
  }
  if (seeds === 0) return null;
  return { ...methods, seeds, chips, aOnly, bOnly, pValue: mcnemarExactP(aOnly, bOnly) };
}

/** The pairs an experiment reports: the paper's ordering (A ≥ B) and AURA-KD against plain training. */
export const PAIRED_METHODS: ReadonlyArray<{ a: string; b: string }> = [...ORDERING_PAIRS.map(({ a, b }) => ({ a, b })), { a: 'aurakd', b: 'ce' }];

/** 'p = 0.73', 'p = 0.004', 'p < 0.001'. */
export function formatPValue(p: number): string {
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

/** One line: 'AURA-KD vs KD: right only with AURA-KD on 5 test chips, only with KD on 3 (3 seeds, 1239 pairs) · McNemar p = 0.73'. */
export function describePaired(p: PairedComparison, label: (method: string) => string): string {
  const [a, b] = [label(p.a), label(p.b)];
  const seeds = `${p.seeds} seed${p.seeds === 1 ? '' : 's'}`;
  return `${a} vs ${b}: right only with ${a} on ${p.aOnly} test chip${p.aOnly === 1 ? '' : 's'}, only with ${b} on ${p.bOnly} (${seeds}, ${p.chips} pairs) · McNemar ${formatPValue(p.pValue)}`;
}

/** A run against a reference run on the same test chips, compactly: '+5 / −3 · p = 0.73'. */
export function formatRunPair(p: { runOnly: number; referenceOnly: number; pValue: number }): string {
  return `+${p.runOnly} / −${p.referenceOnly} · ${formatPValue(p.pValue)}`;
}
