import { describe, expect, it } from 'vitest';
import { augmentBatch } from '../../../main/data/augment.js';
import { createRng } from '../../../main/data/random.js';

const OFF = { shift: 0, flip: false, speckleLooks: 0 };
/** An rng replaying fixed values. */
const replay = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length];
};
// 3×3, 2 channels: value = 10·(y·3 + x) + c
const img = Float32Array.from({ length: 18 }, (_, k) => 10 * Math.floor(k / 2) + (k % 2));
const at = (a: Float32Array, y: number, x: number, c: number): number => a[(y * 3 + x) * 2 + c];

describe('augmentBatch', () => {
  it('is the identity (a new array) when everything is off', () => {
    const rng = replay([0.3]);
    const out = augmentBatch(img, 1, 3, 2, OFF, rng);
    expect(out).not.toBe(img);
    expect(Array.from(out)).toEqual(Array.from(img));
  });

  it('shifts by (dx, dy) with edge padding, no wrap', () => {
    // shift 1: dx = −1 + floor(0.9·3) = 1, dy = −1 + floor(0·3) = −1
    const out = augmentBatch(img, 1, 3, 2, { ...OFF, shift: 1 }, replay([0.9, 0]));
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) for (let c = 0; c < 2; c++) {
      const sy = Math.min(2, y + 1);
      const sx = Math.max(0, x - 1);
      expect(at(out, y, x, c)).toBe(at(img, sy, sx, c));
    }
    expect(Array.from(img.slice(0, 4))).toEqual([0, 1, 10, 11]); // input untouched
  });

  it('flips left-right when the coin says so, per chip', () => {
    const two = new Float32Array([...img, ...img]);
    const out = augmentBatch(two, 2, 3, 2, { ...OFF, flip: true }, replay([0.2, 0.7]));
    for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) {
      expect(at(out, y, x, 1)).toBe(at(img, y, 2 - x, 1));
      expect(at(out.subarray(18), y, x, 1)).toBe(at(img, y, x, 1));
    }
  });

  it('speckle is multiplicative gamma with mean 1 and variance 1/L, and seeded', () => {
    const ones = new Float32Array(64 * 64).fill(1);
    const out = augmentBatch(ones, 1, 64, 1, { ...OFF, speckleLooks: 4 }, createRng(3));
    const mean = out.reduce((a, b) => a + b, 0) / out.length;
    const variance = out.reduce((a, b) => a + (b - mean) ** 2, 0) / out.length;
    expect(mean).toBeGreaterThan(0.97);
    expect(mean).toBeLessThan(1.03);
    expect(variance).toBeGreaterThan(0.22);
    expect(variance).toBeLessThan(0.28);
    expect(Math.min(...out)).toBeGreaterThan(0);
    expect(Array.from(augmentBatch(ones, 1, 64, 1, { ...OFF, speckleLooks: 4 }, createRng(3)))).toEqual(Array.from(out));
  });

  it('rejects a batch of the wrong length and bad options', () => {
    expect(() => augmentBatch(img, 2, 3, 2, OFF, replay([0]))).toThrow('batch length 18 ≠ 2×3×3×2');
    expect(() => augmentBatch(img, 1, 3, 2, { ...OFF, shift: -1 }, replay([0]))).toThrow('shift must be an integer ≥ 0');
  });
});
