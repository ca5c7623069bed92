/**
 * ResNet18 (torchvision layout: 7×7/2 stem + 3×3/2 max-pool, basic blocks [2, 2, 2, 2] of 64–512
 * channels, 1×1 projection shortcuts where the shape changes), global average pool, linear logits.
 * ≈ 11.2 M parameters for 1 channel and 10 classes.
 */
import * as tf from '@tensorflow/tfjs';
import { classifierHead, convBn, maxPool, modelInput, relu, SeedSequence, validateModelOptions, type ModelOptions } from './blocks.js';

function basicBlock(x: tf.SymbolicTensor, filters: number, stride: number, name: string, seeds: SeedSequence): tf.SymbolicTensor {
  const inChannels = x.shape[3] as number;
  let y = convBn(x, { filters, kernel: 3, stride, name: `${name}_a` }, seeds);
  y = convBn(y, { filters, kernel: 3, name: `${name}_b`, relu: false }, seeds);
  const shortcut =
    stride !== 1 || inChannels !== filters
      ? convBn(x, { filters, kernel: 1, stride, name: `${name}_proj`, relu: false }, seeds)
      : x;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return relu(sum, `${name}_out`);
}

export function createResnet18(opts: ModelOptions): tf.LayersModel {
  validateModelOptions('resnet18', opts, 16);
  const seeds = new SeedSequence(opts.seed);
  const input = modelInput(opts);
  let x = convBn(input, { filters: 64, kernel: 7, stride: 2, name: 'stem' }, seeds);
  x = maxPool(x, 3, 'stem_pool');
  const widths = [64, 128, 256, 512];
  widths.forEach((w, stage) => {
    for (let b = 0; b < 2; b++) x = basicBlock(x, w, stage > 0 && b === 0 ? 2 : 1, `layer${stage + 1}_${b}`, seeds);
  });
  return tf.model({ inputs: input, outputs: classifierHead(x, opts.numClasses, seeds), name: 'resnet18' });
}
