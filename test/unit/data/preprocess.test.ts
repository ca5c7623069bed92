import { describe, expect, it } from 'vitest';
import { computeChannelStats } from '../../../main/data/channelStats.js';
import { bandMedian, centreSpan, preprocessChip } from '../../../main/data/preprocess.js';
import type { PreprocessConfig, RawChip } from '../../../main/data/types.js';

function chip(width: number, height: number, values: number[], channels = 1): RawChip {
  return { width, height, channels, data: Float32Array.from(values), format: 'tiffFloat', linear: true };
}
const ramp = (n: number): number[] => Array.from({ length: n }, (_, k) => k);
const cfg = (over: Partial<PreprocessConfig>): PreprocessConfig => ({ size: 2, fit: 'crop', intensity: 'linear', normalise: 'none', channels: 1, ...over });
const arr = (x: Float32Array): number[] => Array.from(x);

describe('centre fit', () => {
  it('crop offsets for odd and even differences', () => {
    expect(centreSpan(5, 2)).toEqual({ src: 1, dst: 0, count: 2 });
    expect(centreSpan(4, 2)).toEqual({ src: 1, dst: 0, count: 2 });
    expect(centreSpan(4, 3)).toEqual({ src: 0, dst: 0, count: 3 });
    expect(centreSpan(128, 64)).toEqual({ src: 32, dst: 0, count: 64 });
    expect(centreSpan(129, 64)).toEqual({ src: 32, dst: 0, count: 64 });
    expect(centreSpan(2, 5)).toEqual({ src: 0, dst: 1, count: 2 });
    // width 5, height 4 → rows 1–2, cols 1–2
    expect(arr(preprocessChip(chip(5, 4, ramp(20)), cfg({})))).toEqual([6, 7, 11, 12]);
    // width 4, height 5, size 3 → rows 1–3, cols 0–2
    expect(arr(preprocessChip(chip(4, 5, ramp(20)), cfg({ size: 3 })))).toEqual([4, 5, 6, 8, 9, 10, 12, 13, 14]);
  });

  it('pads with the chip median (even count: mean of the middle two)', () => {
    expect(bandMedian(Float32Array.from([1, 9, 4]), 1, 0)).toBe(4);
    expect(bandMedian(Float32Array.from([1, 5]), 1, 0)).toBe(3);
    const out = preprocessChip(chip(2, 1, [1, 5]), cfg({ size: 4 }));
    expect(arr(out)).toEqual([3, 3, 3, 3, 3, 1, 5, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
    // crop columns (6 → 4, offset 1) while padding rows (2 → 4, offset 1); median of 0..11 = 5.5
    const mixed = preprocessChip(chip(6, 2, ramp(12)), cfg({ size: 4 }));
    expect(arr(mixed)).toEqual([5.5, 5.5, 5.5, 5.5, 1, 2, 3, 4, 7, 8, 9, 10, 5.5, 5.5, 5.5, 5.5]);
  });
});

describe('intensity and normalisation', () => {
  it('db = 10·log10(max(x, 1e-6)), log = ln(1 + x)', () => {
    const db = preprocessChip(chip(2, 2, [100, 0, 1e-3, 1]), cfg({ intensity: 'db' }));
    expect(arr(db)).toEqual([20, -60, -30, 0]);
    const log = preprocessChip(chip(2, 1, [Math.E - 1, 0]), cfg({ intensity: 'log', size: 1 }));
    expect(log[0]).toBeCloseTo(1, 6);
    expect(arr(preprocessChip(chip(2, 2, [-5, 0, 0, 0]), cfg({ intensity: 'log' })))).toEqual([0, 0, 0, 0]);
  });

  it('chip normalisation: zero mean, unit population std, floored std', () => {
    const out = preprocessChip(chip(2, 2, [1, 2, 3, 4]), cfg({ normalise: 'chip' }));
    const s = Math.sqrt(1.25);
    expect(arr(out)).toEqual(Array.from(Float32Array.from([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s])));
    expect(arr(preprocessChip(chip(2, 2, [7, 7, 7, 7]), cfg({ normalise: 'chip' })))).toEqual([0, 0, 0, 0]);
  });

  it('dataset normalisation with stored mean/std per channel', () => {
    const two = chip(1, 1, [0.5, 4], 2); // VH, VV
    const out = preprocessChip(two, cfg({ size: 1, channels: 2, normalise: 'dataset', mean: [0.5, 2], std: [0.25, 4] }));
    expect(arr(out)).toEqual([0, 0.5]);
    expect(() => preprocessChip(two, cfg({ size: 1, normalise: 'dataset' }))).toThrow("normalise 'dataset' needs mean and std with 1 finite values");
  });
});

describe('channels', () => {
  it('1 channel from a 2-band chip takes VV (the last band); 2 channels duplicate a 1-band chip', () => {
    const vhvv = chip(2, 1, [1, 10, 2, 20], 2); // pixel 0: VH 1, VV 10; pixel 1: VH 2, VV 20
    // row 0 = VV values, row 1 = padding with the VV median 15
    expect(arr(preprocessChip(vhvv, cfg({ size: 2 })))).toEqual([10, 20, 15, 15]);
    expect(arr(preprocessChip(vhvv, cfg({ size: 2, channels: 2 })))).toEqual([1, 10, 2, 20, 1.5, 15, 1.5, 15]);
    expect(arr(preprocessChip(chip(1, 1, [3]), cfg({ size: 1, channels: 2 })))).toEqual([3, 3]);
  });

  it('is a pure function of (raw, config)', () => {
    const raw = chip(3, 3, ramp(9));
    const c = cfg({ size: 2, intensity: 'db', normalise: 'chip' });
    const a = preprocessChip(raw, c);
    expect(arr(raw.data)).toEqual(ramp(9));
    expect(arr(preprocessChip(raw, c))).toEqual(arr(a));
  });
});

describe('computeChannelStats', () => {
  it('mean and population std over every pixel after fit + intensity, per channel', () => {
    const a = chip(1, 1, [1, 100], 2);
    const b = chip(1, 1, [3, 10000], 2);
    const st = computeChannelStats([a, b], cfg({ size: 1, channels: 2, intensity: 'db', normalise: 'chip' }));
    // VH: 10·log10(1) = 0, 10·log10(3) ≈ 4.771; VV: 20 and 40 dB
    const d3 = 10 * Math.log10(3);
    expect(st.mean[0]).toBeCloseTo(d3 / 2, 5);
    expect(st.std[0]).toBeCloseTo(d3 / 2, 5);
    expect(st.mean[1]).toBeCloseTo(30, 5);
    expect(st.std[1]).toBeCloseTo(10, 5);
    expect(() => computeChannelStats([], cfg({}))).toThrow('at least one chip');
  });
});
