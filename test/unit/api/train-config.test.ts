import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../main/api/contract.js';
import { resolveTrainConfig } from '../../../main/api/train-config.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../main/engine/config.js';

describe('resolveTrainConfig', () => {
  it('returns the defaults for an empty patch', () => {
    expect(resolveTrainConfig({})).toEqual(DEFAULT_TRAIN_CONFIG);
  });

  it('accepts dotted and nested keys and coerces CLI strings', () => {
    const c = resolveTrainConfig({ 'distill.tau': '2', distill: { beta: 8 }, epochs: '3', 'augment.flip': 'true', 'preprocess.channels': '2' });
    expect(c.distill.tau).toBe(2);
    expect(c.distill.beta).toBe(8);
    expect(c.epochs).toBe(3);
    expect(c.augment.flip).toBe(true);
    expect(c.preprocess.channels).toBe(2);
    expect(c.distill.gamma).toBe(DEFAULT_TRAIN_CONFIG.distill.gamma);
    expect(resolveTrainConfig({ 'distill.offlinePrior': '-1.5' }).distill.offlinePrior).toBe(-1.5);
    expect(() => resolveTrainConfig({ 'distill.offlinePrior': 11 })).toThrow('config.distill.offlinePrior: must be between -10 and 10, got 11');
  });

  it('applies a preset below the explicit values', () => {
    const c = resolveTrainConfig({ preset: 'paper', epochs: 2 });
    expect(c.student).toBe('resnet18');
    expect(c.teacher).toBe('resnet50');
    expect(c.learningRate).toBe(1e-4);
    expect(c.weightDecay).toBe(1e-2);
    expect(c.epochs).toBe(2);
    const sar = resolveTrainConfig({ preset: 'sarCpu', batchSize: 32 });
    expect([sar.student, sar.teacher, sar.epochs, sar.learningRate, sar.lrSchedule, sar.augment.shift]).toEqual(['sarnet', 'sarnet', 10, 2e-3, 'cosine', 4]);
    expect(sar.batchSize).toBe(32);
    expect(resolveTrainConfig({ preset: 'sarCpu' }).batchSize).toBe(16);
    expect(resolveTrainConfig({ preset: 'sarCpu' }).distill.tau).toBe(1);
    expect(resolveTrainConfig({ preset: 'sarCpu', 'distill.tau': 4 }).distill.tau).toBe(4);
  });

  it.each([
    [{ epochs: 0 }, 'config.epochs: must be between 1 and 500, got 0'],
    [{ epochs: 1.5 }, 'config.epochs: expected an integer, got 1.5'],
    [{ 'distill.weighting': 'magic' }, 'config.distill.weighting: must be one of'],
    [{ lr: 1 }, 'config: unknown option "lr"'],
    [{ preset: 'turbo' }, 'config.preset: must be one of paper, fastCpu'],
    [{ decoupledWeightDecay: 'maybe' }, 'config.decoupledWeightDecay: expected true or false'],
  ])('rejects %j with a clear message', (patch, message) => {
    expect(() => resolveTrainConfig(patch)).toThrow(ApiError);
    expect(() => resolveTrainConfig(patch)).toThrow(message);
  });

  it('does not mutate the defaults', () => {
    resolveTrainConfig({ 'distill.tau': 8 });
    expect(DEFAULT_TRAIN_CONFIG.distill.tau).toBe(4);
  });
});
