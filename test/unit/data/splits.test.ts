import { describe, expect, it } from 'vitest';
import { createRng, shuffleInPlace } from '../../../main/data/random.js';
import { assignSplits, carveValidation } from '../../../main/data/splits.js';
import type { SampleRecord, Split } from '../../../main/data/types.js';

function samples(counts: number[], group?: (cls: number, i: number) => string | undefined): SampleRecord[] {
  const out: SampleRecord[] = [];
  counts.forEach((n, label) => {
    for (let i = 0; i < n; i++) {
      const s: SampleRecord = { key: `c${label}/f${String(i).padStart(4, '0')}`, path: `/x/c${label}/${i}`, className: `c${label}`, label, split: 'train', width: 8, height: 8, channels: 1, format: 'png' };
      const g = group?.(label, i);
      if (g !== undefined) s.group = g;
      out.push(s);
    }
  });
  return out;
}

function table(rs: SampleRecord[], classes: number): Record<Split, number>[] {
  return Array.from({ length: classes }, (_, c) => {
    const t = { train: 0, val: 0, test: 0 };
    for (const s of rs) if (s.label === c) t[s.split]++;
    return t;
  });
}

const asMap = (rs: SampleRecord[]): Record<string, Split> => Object.fromEntries(rs.map((s) => [s.key, s.split]));

describe('assignSplits', () => {
  it('stratifies each class with rounded targets (train keeps ≥ 1)', () => {
    const rs = assignSplits(samples([100, 37, 5, 1, 2]), { val: 0.15, test: 0.15, seed: 1 });
    expect(table(rs, 5)).toEqual([
      { train: 70, val: 15, test: 15 },
      { train: 25, val: 6, test: 6 },
      { train: 3, val: 1, test: 1 },
      { train: 1, val: 0, test: 0 },
      { train: 2, val: 0, test: 0 },
    ]);
    expect(table(assignSplits(samples([3]), { val: 0.4, test: 0.4, seed: 1 }), 1)).toEqual([{ train: 1, val: 1, test: 1 }]);
    expect(table(assignSplits(samples([2]), { val: 0.5, test: 0.45, seed: 1 }), 1)).toEqual([{ train: 1, val: 0, test: 1 }]);
  });

  it('is deterministic in the seed and independent of input order', () => {
    const base = samples([40, 25]);
    const a = assignSplits(base, { val: 0.2, test: 0.2, seed: 11 });
    const shuffled = [...base];
    shuffleInPlace(shuffled, createRng(99));
    const b = assignSplits(shuffled, { val: 0.2, test: 0.2, seed: 11 });
    expect(asMap(b)).toEqual(asMap(a));
    expect(b.map((s) => s.key)).toEqual(shuffled.map((s) => s.key)); // output keeps input order
    const c = assignSplits(base, { val: 0.2, test: 0.2, seed: 12 });
    expect(asMap(c)).not.toEqual(asMap(a));
    expect(table(c, 2)).toEqual(table(a, 2));
    expect(base.every((s) => s.split === 'train')).toBe(true); // inputs untouched
  });

  it('never divides a group, also when groups span classes', () => {
    const rs = samples([60, 30], (cls, i) => (i % 10 === 9 ? undefined : `scene${(i + cls * 3) % 12}`));
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = assignSplits(rs, { val: 0.15, test: 0.15, seed, respectGroups: true });
      const sideOf = new Map<string, Set<Split>>();
      for (const s of out) if (s.group) sideOf.set(s.group, (sideOf.get(s.group) ?? new Set()).add(s.split));
      for (const sides of sideOf.values()) expect(sides.size).toBe(1);
      const t = table(out, 2);
      expect(t[0].test + t[0].val).toBeGreaterThan(0);
      expect(t[0].train).toBeGreaterThanOrEqual(30);
    }
    const ignoring = assignSplits(rs, { val: 0.15, test: 0.15, seed: 1 });
    const divided = new Set(ignoring.filter((s) => s.group === 'scene0').map((s) => s.split));
    expect(divided.size).toBeGreaterThan(1);
  });

  it('rejects bad fractions', () => {
    expect(() => assignSplits(samples([3]), { val: 0.6, test: 0.4, seed: 1 })).toThrow('val + test must be < 1');
    expect(() => assignSplits(samples([3]), { val: -0.1, test: 0.1, seed: 1 })).toThrow('val fraction must be in [0, 1)');
  });
});

describe('carveValidation', () => {
  it('moves a stratified share of train to val and leaves test alone', () => {
    const base = samples([50, 20]).map((s, k) => ({ ...s, split: (k % 10 === 0 ? 'test' : 'train') as Split }));
    const out = carveValidation(base, 0.2, 4);
    expect(table(out, 2)).toEqual([
      { train: 36, val: 9, test: 5 },
      { train: 14, val: 4, test: 2 },
    ]);
    out.forEach((s, k) => {
      if (base[k].split === 'test') expect(s.split).toBe('test');
    });
    expect(asMap(carveValidation(base, 0.2, 4))).toEqual(asMap(out));
    expect(asMap(carveValidation(base, 0.2, 5))).not.toEqual(asMap(out));
  });
});

describe('groupKeyFor', () => {
  it('scene ids up to the last "__", RegExp capture or whole match, none otherwise', async () => {
    const { groupKeyFor } = await import('../../../main/data/groupKey.js');
    expect(groupKeyFor('train/Tanker/S1A_IW_GRDH_1SDV_20160131T101646__Tanker_x1_y2.tif', 'scene')).toBe('S1A_IW_GRDH_1SDV_20160131T101646');
    expect(groupKeyFor('test/Cargo/S1A_IW_SLC__1SDV__Cargo_x25333_y9930.tif', 'scene')).toBe('S1A_IW_SLC__1SDV');
    expect(groupKeyFor('T72/hb03787.jpeg', 'scene')).toBeUndefined();
    expect(groupKeyFor('T72/sn_132/hb03787.jpeg', /\/(sn_\w+)\//)).toBe('sn_132');
    expect(groupKeyFor('T72/sn_132/hb03787.jpeg', /hb\d{3}/g)).toBe('hb037');
    expect(groupKeyFor('T72/hb03787.jpeg', /sn_\w+/)).toBeUndefined();
    expect(groupKeyFor('a__b/c__d.png', 'none')).toBeUndefined();
  });
});
