/**
 * ResNet50 (torchvision v1.5 layout: 7×7/2 stem + 3×3/2 max-pool, bottleneck blocks [3, 4, 6, 3] with
 * expansion 4 and the stride on the 3×3 convolution), global average pool, linear logits.
 * ≈ 23.5 M parameters for 1 channel and 10 classes: the natural offline teacher.
 */
import * as tf from '@tensorflow/tfjs';
import { classifierHead, convBn, maxPool, modelInput, relu, SeedSequence, validateModelOptions, type ModelOptions } from './blocks.js';

const EXPANSION = 4;

function bottleneck(x: tf.SymbolicTensor, width: number, stride: number, name: string, seeds: SeedSequence): tf.SymbolicTensor {
  const inChannels = x.shape[3] as number;
  const outChannels = width * EXPANSION;
  let y = convBn(x, { filters: width, kernel: 1, name: `${name}_a` }, seeds);
  y = convBn(y, { filters: width, kernel: 3, stride, name: `${name}_b` }, seeds);
  y = convBn(y, { filters: outChannels, kernel: 1, name: `${name}_c`, relu: false }, seeds);
  const shortcut =
    stride !== 1 || inChannels !== outChannels
      ? convBn(x, { filters: outChannels, kernel: 1, stride, name: `${name}_proj`, relu: false }, seeds)
      : x;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return relu(sum, `${name}_out`);
}

export function createResnet50(opts: ModelOptions): tf.LayersModel {
  validateModelOptions('resnet50', opts, 16);
  const seeds = new SeedSequence(opts.seed);
  const input = modelInput(opts);
  let x = convBn(input, { filters: 64, kernel: 7, stride: 2, name: 'stem' }, seeds);
  x = maxPool(x, 3, 'stem_pool');
  const stages: Array<[number, number]> = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ];
  stages.forEach(([width, blocks], stage) => {
    for (let b = 0; b < blocks; b++) x = bottleneck(x, width, stage > 0 && b === 0 ? 2 : 1, `layer${stage + 1}_${b}`, seeds);
  });
  return tf.model({ inputs: input, outputs: classifierHead(x, opts.numClasses, seeds), name: 'resnet50' });
}
