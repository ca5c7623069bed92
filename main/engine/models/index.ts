/** Backbone factory: one entry point for every network the engine trains. */
import type * as tf from '@tensorflow/tfjs';
import type { Backbone } from '../config.js';
import type { ModelOptions } from './blocks.js';
import { createResnet18 } from './resnet18.js';
import { createResnet50 } from './resnet50.js';
import { createSarnet } from './sarnet.js';
import { createVgg11 } from './vgg11.js';

export type { ModelOptions } from './blocks.js';

/** Build a freshly initialised classifier (NHWC input [size, size, channels] → raw logits [numClasses]). */
export function createModel(backbone: Backbone, opts: ModelOptions): tf.LayersModel {
  switch (backbone) {
    case 'sarnet':
      return createSarnet(opts);
    case 'resnet18':
      return createResnet18(opts);
    case 'vgg11':
      return createVgg11(opts);
    case 'resnet50':
      return createResnet50(opts);
    default:
      throw new Error(`createModel: unknown backbone '${String(backbone)}'`);
  }
}

/** Total number of parameters (trainable weights plus batch-norm running statistics). */
export function countParams(model: tf.LayersModel): number {
  return model.countParams();
}

/** Number of trainable parameters only. */
export function countTrainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}
