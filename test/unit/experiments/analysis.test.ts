import { describe, expect, it } from 'vitest';
import { analyseMethod } from '../../../main/experiments/analysis.js';

describe('analyseMethod', () => {
  it('pools confusions, averages recall per seed, ranks confusions and averages w_off per epoch', () => {
    const a = analyseMethod(
      'aurakd',
      ['BMP2', 'T62', 'T72'],
      [
        { confusion: [[9, 0, 1], [0, 10, 0], [0, 2, 8]] },
        { confusion: [[10, 0, 0], [0, 9, 1], [0, 1, 4]] },
      ],
      [
        [{ epoch: 1, wOff: { mean: 0.9, std: 0.1 } }, { epoch: 2, wOff: { mean: 0.6, std: 0.2 } }],
        [{ epoch: 1, wOff: { mean: 0.8, std: 0.3 } }],
      ],
    );
    expect(a.seeds).toBe(2);
    expect(a.confusion).toEqual([[19, 0, 1], [0, 19, 1], [0, 3, 12]]);
    expect(a.recall[0]).toBeCloseTo((0.9 + 1) / 2, 12);
    expect(a.recall[2]).toBeCloseTo((0.8 + 0.8) / 2, 12);
    expect(a.topConfusions).toEqual([
      { trueClass: 'T72', predictedClass: 'T62', count: 3 },
      { trueClass: 'BMP2', predictedClass: 'T72', count: 1 },
      { trueClass: 'T62', predictedClass: 'T72', count: 1 },
    ]);
    expect(a.wOff.map((p) => [p.epoch, +p.mean.toFixed(6), +p.std.toFixed(6), p.seeds])).toEqual([[1, 0.85, 0.2, 2], [2, 0.6, 0.2, 1]]);
  });

  it('is empty without finished seeds', () => {
    const a = analyseMethod('ce', ['a', 'b'], [], []);
    expect([a.seeds, a.confusion, a.recall, a.topConfusions, a.wOff]).toEqual([0, [[0, 0], [0, 0]], [0, 0], [], []]);
  });
});
