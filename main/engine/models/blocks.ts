/** Layer helpers shared by the backbones: seeded initialisers, conv + batch norm + ReLU, the classifier head. */
import * as tf from '@tensorflow/tfjs';

export interface ModelOptions {
  /** Square input side in pixels. */
  inputSize: number;
  /** 1 (magnitude / VV) or 2 (VH, VV). */
  channels: number;
  numClasses: number;
  /** Seed of every initialiser; the same seed gives the same initial weights. */
  seed: number;
}

/** Batch-norm running statistics use PyTorch's update rate (momentum 0.1 there = 0.9 here). */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-5;

/** Hands out a distinct, deterministic initialiser seed per layer (same seed for all layers would correlate them). */
export class SeedSequence {
  private counter = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    this.counter += 1;
    return (Math.imul(this.seed >>> 0, 1000003) + this.counter * 7919) >>> 0;
  }
}

export function validateModelOptions(backbone: string, opts: ModelOptions, minSize: number): void {
  const { inputSize, channels, numClasses } = opts;
  if (!Number.isInteger(inputSize) || inputSize < minSize || inputSize > 512) {
    throw new Error(`${backbone}: inputSize must be an integer in [${minSize}, 512], got ${inputSize}`);
  }
  if (channels !== 1 && channels !== 2) throw new Error(`${backbone}: channels must be 1 or 2, got ${channels}`);
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new Error(`${backbone}: numClasses must be an integer ≥ 2, got ${numClasses}`);
  }
  if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new Error(`${backbone}: seed must be a non-negative integer, got ${opts.seed}`);
}

export function modelInput(opts: ModelOptions): tf.SymbolicTensor {
  return tf.input({ shape: [opts.inputSize, opts.inputSize, opts.channels], name: 'chips' });
}

export interface ConvBnOptions {
  filters: number;
  kernel: number;
  stride?: number;
  name: string;
  relu?: boolean;
}

/** conv (no bias, He-normal init) → batch norm → optional ReLU, 'same' padding. */
export function convBn(x: tf.SymbolicTensor, o: ConvBnOptions, seeds: SeedSequence): tf.SymbolicTensor {
  let y = tf.layers
    .conv2d({
      filters: o.filters,
      kernelSize: o.kernel,
      strides: o.stride ?? 1,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: seeds.next() }),
      name: `${o.name}_conv`,
    })
    .apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ momentum: BN_MOMENTUM, epsilon: BN_EPSILON, name: `${o.name}_bn` }).apply(y) as tf.SymbolicTensor;
  if (o.relu ?? true) y = relu(y, `${o.name}_relu`);
  return y;
}

export function relu(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
  return tf.layers.reLU({ name }).apply(x) as tf.SymbolicTensor;
}

export function maxPool(x: tf.SymbolicTensor, size: number, name: string): tf.SymbolicTensor {
  return tf.layers.maxPooling2d({ poolSize: size, strides: 2, padding: 'same', name }).apply(x) as tf.SymbolicTensor;
}

/** Global average pool → dense logits (Glorot-uniform init, zero bias). Outputs raw logits, no softmax. */
export function classifierHead(x: tf.SymbolicTensor, numClasses: number, seeds: SeedSequence): tf.SymbolicTensor {
  const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
  return tf.layers
    .dense({ units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.next() }), name: 'logits' })
    .apply(pooled) as tf.SymbolicTensor;
}
