import { describe, expect, it } from 'vitest';
import { decodeProbs, encodeProbs, maxProb, totalVariation } from '../../../main/store/codec.js';

describe('store codecs', () => {
  it('stores probabilities as little-endian float32', () => {
    const buf = encodeProbs([0.25, 0.5, 0.1]);
    expect(buf.length).toBe(12);
    expect([...buf.subarray(0, 4)]).toEqual([0x00, 0x00, 0x80, 0x3e]); // 0.25f
    expect(decodeProbs(buf)).toEqual([0.25, 0.5, Math.fround(0.1)]);
    expect(() => decodeProbs(Buffer.alloc(5))).toThrow('probability blob length 5 is not a multiple of 4');
  });

  it('computes confidence and total-variation distance', () => {
    expect(maxProb([0.2, 0.7, 0.1])).toBe(0.7);
    expect(totalVariation([1, 0, 0], [0, 0, 1])).toBe(1);
    expect(totalVariation([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(totalVariation([0.75, 0.25], [0.25, 0.75])).toBe(0.5);
    expect(() => totalVariation([1], [0.5, 0.5])).toThrow('probability vectors differ in length (1 vs 2)');
  });
});
