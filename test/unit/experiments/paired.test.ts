import { describe, expect, it } from 'vitest';
import { describePaired, formatPValue, mcnemarExactP, pairedComparison, type ChipCorrectness } from '../../../main/experiments/paired.js';

const chips = (right: string): ChipCorrectness => new Map([...right].map((c, i) => [`k${i}`, c === '1']));

describe('exact McNemar test', () => {
  it('matches the binomial tail computed by hand', () => {
    expect(mcnemarExactP(5, 3)).toBeCloseTo(186 / 256, 12); // 2·(1+8+28+56)/2⁸
    expect(mcnemarExactP(3, 5)).toBeCloseTo(186 / 256, 12);
    expect(mcnemarExactP(10, 0)).toBeCloseTo(2 / 1024, 12);
    expect(mcnemarExactP(18, 7)).toBeCloseTo(0.043285250663757324, 12);
    expect(mcnemarExactP(1050, 950)).toBeCloseTo(0.026824146240280695, 9); // n = 2000: log space, no underflow
    expect(mcnemarExactP(520, 480)).toBeCloseTo(0.21744829320414094, 12); // n = 1000: the last case in linear space
  });

  it('is 1 for no discordant chips or an even split, never above 1', () => {
    expect(mcnemarExactP(0, 0)).toBe(1);
    expect(mcnemarExactP(4, 4)).toBe(1);
    expect(mcnemarExactP(1, 0)).toBe(1);
    expect(mcnemarExactP(2, 3)).toBe(1); // 2·(1+5+10)/2⁵, exactly
    expect(mcnemarExactP(3, 13)).toBe((2 * 697) / 65536);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => mcnemarExactP(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExactP(1.5, 2)).toThrow('McNemar counts must be non-negative integers, got 1.5, 2');
  });

  it('formats p-values', () => {
    expect([formatPValue(0.7265625), formatPValue(0.0043), formatPValue(0.0004), formatPValue(1)]).toEqual(['p = 0.73', 'p = 0.004', 'p < 0.001', 'p = 1.00']);
  });
});

describe('paired comparison of two methods', () => {
  it('pools the discordant chips of the seeds both methods finished, matching chips by key', () => {
    const a = new Map([
      [1, chips('1101')],
      [2, chips('1111')],
      [3, chips('0000')], // no seed-3 run of B: left out
    ]);
    const b = new Map([
      [1, chips('1011')],
      [2, new Map([['k0', false], ['k1', true], ['other', false]])], // only k0, k1 shared with A's seed 2
    ]);
    const p = pairedComparison({ a: 'aurakd', b: 'kd' }, a, b)!;
    // seed 1: k1 A only, k2 B only; seed 2: k0 A only.
    expect(p).toEqual({ a: 'aurakd', b: 'kd', seeds: 2, chips: 6, aOnly: 2, bOnly: 1, pValue: 1 });
    expect(describePaired(p, (m) => ({ aurakd: 'AURA-KD', kd: 'KD' })[m]!)).toBe(
      'AURA-KD vs KD: right only with AURA-KD on 2 test chips, only with KD on 1 (2 seeds, 6 pairs) · McNemar p = 1.00',
    );
  });

  it('is null when no seed has both methods', () => {
    expect(pairedComparison({ a: 'kd', b: 'ce' }, new Map([[1, chips('1')]]), new Map([[2, chips('1')]]))).toBeNull();
  });
});
