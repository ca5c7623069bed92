import { describe, expect, it } from 'vitest';
import { confusedPairs } from '../../../renderer/src/lib/confusion.js';

describe('confusedPairs', () => {
  it('lists off-diagonal cells by count, then by rate', () => {
    const m = [
      [5, 2, 1],
      [2, 8, 0],
      [0, 3, 1],
    ];
    expect(confusedPairs(m)).toEqual([
      { trueLabel: 2, predictedLabel: 1, count: 3, rate: 0.75 },
      { trueLabel: 0, predictedLabel: 1, count: 2, rate: 0.25 },
      { trueLabel: 1, predictedLabel: 0, count: 2, rate: 0.2 },
      { trueLabel: 0, predictedLabel: 2, count: 1, rate: 0.125 },
    ]);
    expect(confusedPairs(m, 1)).toHaveLength(1);
  });

  it('is empty for a perfect classifier', () => {
    expect(confusedPairs([[3, 0], [0, 4]])).toEqual([]);
  });
});
