import { describe, expect, it } from 'vitest';
import { batchesPerEpoch, chipBatch, epochOrder, epochSeed, gatherChips, splitBatches, validateChipSet } from '../../../main/engine/batches.js';
import { createRng } from '../../../main/data/random.js';
import { blobChips } from './fixtures.js';

describe('epoch order', () => {
  it('is a seeded permutation, different per epoch and phase', () => {
    const labels = Int32Array.from({ length: 20 }, (_, i) => i % 2);
    const a = epochOrder(labels, 2, false, createRng(epochSeed(1, 'student', 1)));
    const b = epochOrder(labels, 2, false, createRng(epochSeed(1, 'student', 1)));
    const c = epochOrder(labels, 2, false, createRng(epochSeed(1, 'student', 2)));
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(epochSeed(1, 'teacher', 1)).not.toBe(epochSeed(1, 'student', 1));
  });

  it('balanced sampling draws classes about equally from imbalanced labels', () => {
    const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1));
    const order = epochOrder(labels, 2, true, createRng(5));
    expect(order.length).toBe(1000);
    const minority = Array.from(order).filter((i) => labels[i] === 1).length;
    expect(minority).toBeGreaterThan(430);
    expect(minority).toBeLessThan(570);
    // The minority queue cycles through all its chips before repeating.
    const firstHundred = Array.from(order).filter((i) => labels[i] === 1).slice(0, 100);
    expect(new Set(firstHundred).size).toBe(100);
  });
});

describe('batches', () => {
  it('drops a trailing single-chip batch and agrees with batchesPerEpoch', () => {
    for (let n = 1; n <= 40; n++) {
      for (const bs of [2, 3, 8]) {
        const b = splitBatches(Int32Array.from({ length: n }, (_, i) => i), bs);
        expect(b.length, `n=${n} bs=${bs}`).toBe(batchesPerEpoch(n, bs));
      }
    }
    expect(splitBatches(Int32Array.from([0, 1, 2, 3, 4]), 2).map((b) => b.length)).toEqual([2, 2]);
  });

  it('gathers chips and applies the augmentation with the given rng', () => {
    const set = blobChips({ n: 4, size: 16, seed: 1 });
    const per = 16 * 16;
    const g = gatherChips(set, [2, 0]);
    expect(Array.from(g.subarray(0, per))).toEqual(Array.from(set.x.subarray(2 * per, 3 * per)));
    const aug = chipBatch(set, [1], (x, n, size, channels, rng) => x.map((v) => v + rng()), createRng(1));
    const expectedShift = createRng(1)();
    expect(aug[0] - set.x[per]).toBeCloseTo(expectedShift, 5);
    expect(() => chipBatch(set, [1], () => new Float32Array(3), createRng(1))).toThrow(/augment returned/);
  });

  it('validates chip sets', () => {
    const set = blobChips({ n: 4, size: 16, seed: 1 });
    expect(() => validateChipSet({ ...set, x: set.x.subarray(1) }, 'train')).toThrow(/x has/);
    expect(() => validateChipSet({ ...set, y: Int32Array.from([0, 1, 2, 0]) }, 'train')).toThrow(/label 2/);
    expect(() => validateChipSet({ ...set, classes: ['a'] }, 'train')).toThrow(/2 classes/);
  });
});
