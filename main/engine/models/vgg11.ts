/**
 * VGG11 with batch norm (configuration "A": 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M of
 * 3×3 convolutions), with a global-average-pool + linear head instead of the 4096-wide FC layers,
 * so it works for any input size. ≈ 9.2 M parameters.
 */
import * as tf from '@tensorflow/tfjs';
import { classifierHead, convBn, maxPool, modelInput, SeedSequence, validateModelOptions, type ModelOptions } from './blocks.js';

const CONFIG_A: ReadonlyArray<number | 'M'> = [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'];

export function createVgg11(opts: ModelOptions): tf.LayersModel {
  validateModelOptions('vgg11', opts, 16);
  const seeds = new SeedSequence(opts.seed);
  const input = modelInput(opts);
  let x = input;
  let conv = 0;
  let pool = 0;
  for (const item of CONFIG_A) {
    if (item === 'M') x = maxPool(x, 2, `pool${++pool}`);
    else x = convBn(x, { filters: item, kernel: 3, name: `conv${++conv}` }, seeds);
  }
  return tf.model({ inputs: input, outputs: classifierHead(x, opts.numClasses, seeds), name: 'vgg11' });
}
