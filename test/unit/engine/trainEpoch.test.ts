import { describe, expect, it } from 'vitest';
import { DEFAULT_DISTILL } from '../../../main/engine/config.js';
import { effectiveAlpha } from '../../../main/engine/trainEpoch.js';

describe('effectiveAlpha (kdWarmupEpochs)', () => {
  it('is α throughout without warm-up', () => {
    expect(effectiveAlpha({ ...DEFAULT_DISTILL, alpha: 2 }, 1, 1, 10)).toBe(2);
  });

  it('ramps linearly from 0 at the first student step to α after the warm-up epochs', () => {
    const cfg = { ...DEFAULT_DISTILL, alpha: 2, kdWarmupEpochs: 2 };
    expect(effectiveAlpha(cfg, 1, 1, 4)).toBe(0);
    expect(effectiveAlpha(cfg, 1, 3, 4)).toBeCloseTo(2 * (0.5 / 2), 12);
    expect(effectiveAlpha(cfg, 2, 1, 4)).toBeCloseTo(1, 12);
    expect(effectiveAlpha(cfg, 3, 1, 4)).toBe(2);
    expect(effectiveAlpha(cfg, 9, 4, 4)).toBe(2);
  });
});
