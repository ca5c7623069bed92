import { describe, expect, it } from 'vitest';
import { suggestBalancedSampling } from '../../../main/engine/config.js';

describe('suggestBalancedSampling', () => {
  it('is on when the largest training class has at least twice the chips of the smallest present one', () => {
    expect(suggestBalancedSampling([22, 12, 74])).toBe(true); // OpenSARShip-3
    expect(suggestBalancedSampling([209, 163, 208, 180, 163, 209, 208, 162, 209, 209])).toBe(false); // MSTAR SOC
    expect(suggestBalancedSampling([10, 20])).toBe(true);
    expect(suggestBalancedSampling([10, 19])).toBe(false);
    expect(suggestBalancedSampling([0, 10, 12])).toBe(false);
    expect(suggestBalancedSampling([5])).toBe(false);
  });
});
