import { describe, expect, it } from 'vitest';
import { bestIndices, shortRunLabel, tauSweepPoints } from '../../../renderer/src/lib/compare.js';
import { makeRunDetail } from './fakeApi.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../main/engine/config.js';

describe('bestIndices', () => {
  it('marks the highest or lowest value, ties included', () => {
    expect(bestIndices([0.8, 0.9, 0.9], 'higher')).toEqual([1, 2]);
    expect(bestIndices([0.05, 0.02, null], 'lower')).toEqual([1]);
  });

  it('marks nothing when fewer than two runs have a value, or when all are equal', () => {
    expect(bestIndices([0.5, null], 'higher')).toEqual([]);
    expect(bestIndices([0.25, 0.25, null], 'higher')).toEqual([]);
  });

  it('shortens run labels for legends', () => {
    expect(shortRunLabel({ id: 6, name: 'AURA-KD resnet18→sarnet τ8 seed 1' }, 12)).toBe('#6 AURA-KD res…');
    expect(shortRunLabel({ id: 2, name: 'kd' })).toBe('#2 kd');
  });
});

describe('tauSweepPoints', () => {
  const withTau = (id: number, tau: number, acc: number | null, val: number | null = null) =>
    makeRunDetail({ id, name: `r${id}`, testAccuracy: acc, valAccuracy: val, config: { ...DEFAULT_TRAIN_CONFIG, distill: { ...DEFAULT_TRAIN_CONFIG.distill, tau } } });

  it('returns (τ, accuracy) sorted by τ, falling back to validation accuracy', () => {
    const pts = tauSweepPoints([withTau(1, 6, 0.9), withTau(2, 1, null, 0.7), withTau(3, 4, null, null)]);
    expect(pts.map((p) => [p.tau, p.accuracy, p.runId])).toEqual([
      [1, 0.7, 2],
      [6, 0.9, 1],
    ]);
  });

  it('is empty when τ does not vary', () => {
    expect(tauSweepPoints([withTau(1, 4, 0.9), withTau(2, 4, 0.8)])).toEqual([]);
  });
});
