/**
 * Memory budget of a training step on the wasm backend.
 *
 * The wasm heap is 32-bit: 4 GiB at most, and running out does not throw — the step hangs (seen here:
 * VGG11 at 64×64, batch 128). So the trainer refuses, before the first step, a phase whose estimated
 * step heap exceeds 80 % of the limit (`assertTrainingFits`), naming the batch size that would fit. Peak heap of a step, measured on tfjs 4.22 wasm with this engine's kernels and Adam
 * (two CE steps, heap size afterwards; the heap never shrinks):
 *
 *   peak ≈ max(76 B · params, 36 B · params + rows · perChip(size)) + 64 MiB
 *
 * The first term is the optimizer update (all per-variable temporaries of one tidy), the second the
 * forward/backward pass. perChip at the reference size (MiB, slope between batch sizes): ResNet18 10
 * @64, ResNet50 101 @88, VGG11 34 @64, SARNet 8 @64, scaling with the pixel count (ResNet18 @88
 * measured 19.4). Every measured point (ResNet18 @64 batch 32–128 and @88 batch 64, ResNet50 @88 batch
 * 8–24, VGG11 @64 batch 32–96, SARNet @64 batch 128–256) lies 2–15 % under the estimate. These are
 * lower than DESIGN.md's prototype figures (26 and 186 MB/chip), which used tfjs-core's Tile-based
 * batch-norm gradient and copying clones.
 */
import type { Backbone } from '../config.js';

/** The wasm32 heap limit. */
export const WASM_HEAP_LIMIT_BYTES = 4 * 1024 ** 3;

const MIB = 1024 ** 2;

/** Measured forward/backward heap per chip at a reference input size. */
const PER_CHIP: Record<Backbone, { mib: number; size: number }> = {
  resnet18: { mib: 10, size: 64 },
  resnet50: { mib: 101, size: 88 },
  vgg11: { mib: 34, size: 64 },
  sarnet: { mib: 8, size: 64 },
};

/** Trainable parameters of each backbone (1 channel, 10 classes; the head is negligible). */
const PARAMS: Record<Backbone, number> = { resnet18: 11.2e6, resnet50: 23.5e6, vgg11: 9.2e6, sarnet: 0.3e6 };

function checkBackbone(backbone: Backbone, fn: string): void {
  if (!(backbone in PER_CHIP)) throw new Error(`${fn}: unknown backbone '${String(backbone)}'`);
}

/** Bytes of wasm heap one row of a training step needs (activations scale with the pixel count). */
export function estimateTrainingBytesPerChip(backbone: Backbone, inputSize: number): number {
  checkBackbone(backbone, 'estimateTrainingBytesPerChip');
  if (!(Number.isFinite(inputSize) && inputSize > 0)) throw new Error(`estimateTrainingBytesPerChip: inputSize must be > 0, got ${inputSize}`);
  const ref = PER_CHIP[backbone];
  return Math.ceil(ref.mib * MIB * (inputSize / ref.size) ** 2);
}

/** Estimated peak wasm heap of one training step with `rows` rows. */
export function estimateTrainingBytes(backbone: Backbone, inputSize: number, rows: number): number {
  const params = PARAMS[backbone];
  const pass = 36 * params + rows * estimateTrainingBytesPerChip(backbone, inputSize);
  return Math.ceil(Math.max(76 * params, pass) + 64 * MIB);
}

export interface BatchSizeAdvice {
  /** The batch size to use: `requested` if it fits, else the largest power of two that does (≥ 1). */
  batchSize: number;
  /** Estimated peak heap of one step at that batch size. */
  estimatedBytes: number;
  /** True when `requested` had to be lowered. */
  reduced: boolean;
}

/**
 * Largest batch size ≤ `requested` whose estimated step heap fits in `budgetBytes` (default: 80 % of
 * the 4 GiB wasm heap). `rowsPerChip` counts rows per new chip (2 for AURA-KD/Self-KD lastBatch replay,
 * which feeds the previous batch again). Never below 1: when even one chip does not fit, the advice is
 * batch 1 with `reduced` true and the caller decides.
 */
export function suggestBatchSize(
  backbone: Backbone,
  inputSize: number,
  requested: number,
  opts: { rowsPerChip?: number; budgetBytes?: number } = {},
): BatchSizeAdvice {
  checkBackbone(backbone, 'suggestBatchSize');
  if (!Number.isInteger(requested) || requested < 1) throw new Error(`suggestBatchSize: requested must be a positive integer, got ${requested}`);
  const rows = opts.rowsPerChip ?? 1;
  if (!(rows >= 1)) throw new Error(`suggestBatchSize: rowsPerChip must be ≥ 1, got ${rows}`);
  const budget = opts.budgetBytes ?? 0.8 * WASM_HEAP_LIMIT_BYTES;
  const bytes = (b: number) => estimateTrainingBytes(backbone, inputSize, b * rows);
  if (bytes(requested) <= budget) return { batchSize: requested, estimatedBytes: bytes(requested), reduced: false };
  let b = 1;
  while (b * 2 < requested && bytes(b * 2) <= budget) b *= 2;
  return { batchSize: b, estimatedBytes: bytes(b), reduced: true };
}

/**
 * Refuse, before the first step, a training phase whose step would not fit the wasm heap (running out
 * hangs the step instead of throwing). `role` names the phase in the message.
 */
export function assertTrainingFits(role: string, backbone: Backbone, inputSize: number, batchSize: number, rowsPerChip = 1): void {
  const advice = suggestBatchSize(backbone, inputSize, batchSize, { rowsPerChip });
  if (!advice.reduced) return;
  const need = estimateTrainingBytes(backbone, inputSize, batchSize * rowsPerChip) / 1024 ** 3;
  const replay = rowsPerChip > 1 ? ` (×${rowsPerChip}: the previous batch is replayed)` : '';
  const smaller = advice.batchSize > 1 || estimateTrainingBytes(backbone, inputSize, rowsPerChip) <= 0.8 * WASM_HEAP_LIMIT_BYTES;
  throw new Error(
    `${role} ${backbone} at ${inputSize}×${inputSize}, batch ${batchSize}${replay}, needs about ${need.toFixed(1)} GiB of the wasm backend's 4 GiB heap; ` +
      (smaller ? `use batch ${advice.batchSize} or smaller, a smaller input, or the native TensorFlow backend` : 'use a smaller input or the native TensorFlow backend'),
  );
}
