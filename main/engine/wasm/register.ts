/**
 * Everything the wasm backend needs to train conv nets fast, registered once:
 * the missing Conv2DBackpropFilter, a Conv2DBackpropInput built on XNNPACK convolutions, and a
 * broadcasting batch-norm gradient (see each file for the maths).
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormGradConfig } from './batch_norm_grad.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputWasmConfig } from './conv2d_backprop_input.js';
import { captureStockKernel } from './kernel_calls.js';

/** Kernel names this module registers for the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput];
/** Gradients this module replaces for every backend (same maths, no full-size Tile). */
export const REPLACED_GRADIENTS: readonly string[] = [tf.FusedBatchNorm];

/** The stock kernels the registered ones compose. */
const BUILDING_BLOCKS = ['Conv2D', 'Transpose', 'Reshape', 'Slice', 'StridedSlice', 'Reverse', 'Concat', 'Fill'];

let registered = false;

function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, config.backendName) != null) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/**
 * Register the wasm training kernels and the batch-norm gradient (idempotent). Call after the wasm
 * package is imported (it registers the stock kernels this builds on), before or after `setBackend`.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const name of BUILDING_BLOCKS) captureStockKernel(name);
  replaceKernel(conv2dBackpropFilterWasmConfig);
  replaceKernel(conv2dBackpropInputWasmConfig);
  tf.registerGradient(batchNormGradConfig);
  registered = true;
}
