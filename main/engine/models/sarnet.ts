/**
 * SARNet: an A-ConvNets-like all-convolutional SAR classifier (~0.3 M parameters), the fast CPU default.
 * Four conv stages (5×5·16, 5×5·32, 6×6·64, 5×5·128, each with batch norm and ReLU, max-pool after the
 * first three) and a 3×3 convolution to one map per class, averaged globally into the logits.
 * 'same' padding plus the global average makes it work for any input from 16 to 512 pixels.
 */
import * as tf from '@tensorflow/tfjs';
import { convBn, maxPool, modelInput, SeedSequence, validateModelOptions, type ModelOptions } from './blocks.js';

export function createSarnet(opts: ModelOptions): tf.LayersModel {
  validateModelOptions('sarnet', opts, 16);
  const seeds = new SeedSequence(opts.seed);
  const input = modelInput(opts);
  let x = convBn(input, { filters: 16, kernel: 5, name: 'stage1' }, seeds);
  x = maxPool(x, 2, 'pool1');
  x = convBn(x, { filters: 32, kernel: 5, name: 'stage2' }, seeds);
  x = maxPool(x, 2, 'pool2');
  x = convBn(x, { filters: 64, kernel: 6, name: 'stage3' }, seeds);
  x = maxPool(x, 2, 'pool3');
  x = convBn(x, { filters: 128, kernel: 5, name: 'stage4' }, seeds);
  const maps = tf.layers
    .conv2d({
      filters: opts.numClasses,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.next() }),
      name: 'class_maps',
    })
    .apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.globalAveragePooling2d({ name: 'logits' }).apply(maps) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'sarnet' });
}
