/** Heap estimates and batch-size advice for the 4 GiB wasm heap. */
import { describe, expect, it } from 'vitest';
import { assertTrainingFits, estimateTrainingBytes, estimateTrainingBytesPerChip, suggestBatchSize, WASM_HEAP_LIMIT_BYTES } from '../../../main/engine/wasm/memory.js';

const MIB = 1024 ** 2;

describe('estimateTrainingBytesPerChip', () => {
  it('returns the measured figure at the reference size and scales with the pixel count', () => {
    expect(estimateTrainingBytesPerChip('resnet18', 64)).toBe(10 * MIB);
    expect(estimateTrainingBytesPerChip('resnet50', 88)).toBe(101 * MIB);
    expect(estimateTrainingBytesPerChip('vgg11', 64)).toBe(34 * MIB);
    expect(estimateTrainingBytesPerChip('sarnet', 64)).toBe(8 * MIB);
    expect(estimateTrainingBytesPerChip('resnet18', 128)).toBe(40 * MIB);
    expect(estimateTrainingBytesPerChip('resnet50', 44)).toBe(Math.ceil((101 * MIB) / 4));
  });

  it('rejects bad input with one-line errors', () => {
    expect(() => estimateTrainingBytesPerChip('alexnet' as never, 64)).toThrow("estimateTrainingBytesPerChip: unknown backbone 'alexnet'");
    expect(() => estimateTrainingBytesPerChip('sarnet', 0)).toThrow('inputSize must be > 0, got 0');
  });
});

describe('estimateTrainingBytes', () => {
  it('is the larger of the optimizer floor and the pass, plus 64 MiB', () => {
    // ResNet18: floor 76 B × 11.2 M = 851.2 MB; pass at 8 rows = 403.2 MB + 80 MiB → the floor wins.
    expect(estimateTrainingBytes('resnet18', 64, 8)).toBe(Math.ceil(76 * 11.2e6 + 64 * MIB));
    expect(estimateTrainingBytes('resnet18', 64, 64)).toBe(Math.ceil(36 * 11.2e6 + 64 * 10 * MIB + 64 * MIB));
    // Measured peaks lie under the estimate: ResNet18 @64 batch 128 used 1693.6 MiB, VGG11 @64 batch 96 3449.2 MiB.
    expect(estimateTrainingBytes('resnet18', 64, 128)).toBeGreaterThan(1693.6 * MIB);
    expect(estimateTrainingBytes('vgg11', 64, 96)).toBeGreaterThan(3449.2 * MIB);
    expect(estimateTrainingBytes('resnet50', 88, 24)).toBeGreaterThan(2993.3 * MIB);
  });
});

describe('suggestBatchSize', () => {
  it('keeps a batch that fits', () => {
    const advice = suggestBatchSize('resnet18', 64, 32);
    expect(advice).toEqual({ batchSize: 32, estimatedBytes: estimateTrainingBytes('resnet18', 64, 32), reduced: false });
  });

  it('lowers to the largest fitting power of two (VGG11 @64 batch 128 hung when measured)', () => {
    const advice = suggestBatchSize('vgg11', 64, 128);
    expect(advice.batchSize).toBe(64);
    expect(suggestBatchSize('vgg11', 64, 96).batchSize).toBe(64); // 96 would need ~3.6 GiB
    expect(advice.reduced).toBe(true);
    expect(advice.estimatedBytes).toBeLessThanOrEqual(0.8 * WASM_HEAP_LIMIT_BYTES);
  });

  it('counts replayed rows (AURA-KD lastBatch feeds 2 rows per new chip)', () => {
    expect(suggestBatchSize('resnet50', 88, 32).batchSize).toBe(16);
    expect(suggestBatchSize('resnet50', 88, 32, { rowsPerChip: 2 }).batchSize).toBe(8);
    expect(suggestBatchSize('resnet50', 88, 20).reduced).toBe(false);
  });

  it('never goes below 1 and honours a custom budget', () => {
    expect(suggestBatchSize('resnet50', 512, 8)).toMatchObject({ batchSize: 1, reduced: true });
    expect(suggestBatchSize('sarnet', 64, 100, { budgetBytes: 64 * MIB + 36 * 0.3e6 + 40 * 8 * MIB }).batchSize).toBe(32);
  });

  it('rejects bad input', () => {
    expect(() => suggestBatchSize('sarnet', 64, 0)).toThrow('suggestBatchSize: requested must be a positive integer, got 0');
    expect(() => suggestBatchSize('sarnet', 64, 8, { rowsPerChip: 0 })).toThrow('rowsPerChip must be ≥ 1, got 0');
  });
});

describe('assertTrainingFits', () => {
  it('passes what fits and refuses, with the batch that would fit, what would hang the wasm heap', () => {
    expect(() => assertTrainingFits('The student', 'sarnet', 64, 32, 2)).not.toThrow();
    expect(() => assertTrainingFits('The student', 'resnet18', 64, 128)).not.toThrow();
    const need = (estimateTrainingBytes('resnet50', 88, 64) / 1024 ** 3).toFixed(1);
    const advice = suggestBatchSize('resnet50', 88, 32, { rowsPerChip: 2 });
    expect(advice.reduced).toBe(true);
    expect(() => assertTrainingFits('The student', 'resnet50', 88, 32, 2)).toThrow(
      `The student resnet50 at 88×88, batch 32 (×2: the previous batch is replayed), needs about ${need} GiB of the wasm backend's 4 GiB heap; use batch ${advice.batchSize} or smaller, a smaller input, or the native TensorFlow backend`,
    );
    expect(() => assertTrainingFits('The offline teacher', 'resnet50', 512, 4)).toThrow(/The offline teacher resnet50 at 512×512, batch 4, needs about \d+\.\d GiB .*; use a smaller input or the native TensorFlow backend$/);
  });
});
