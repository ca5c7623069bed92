/**
 * Everything the wasm backend needs to train conv nets fast, registered once: the missing
 * Conv2DBackpropFilter; Conv2DBackpropInput replacing the stock single-threaded scalar loop;
 * MaxPoolGrad with cpu semantics, faster for pools that tile their input; a copy-free Identity (tfjs
 * clones every tensor a gradient saves); per-channel Sum/Mean by average pooling instead of a full
 * transpose; Sum/Mean gradients without JS-built ones tensors; and a broadcasting batch-norm gradient
 * (tfjs-core's tiles per-channel vectors to full size: ResNet18 at 64×64 trained 1.45× slower per
 * step with it). See each file for the maths and measurements.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormGradConfig } from './batch_norm_grad.js';
import { meanWasmConfig, sumWasmConfig } from './channel_reduce.js';
import { conv2dBackpropFilterWasmConfig } from './conv2d_backprop_filter.js';
import { conv2dBackpropInputWasmConfig } from './conv2d_backprop_input.js';
import { identityWasmConfig } from './identity.js';
import { captureStockKernel } from './kernel_calls.js';
import { maxPoolGradWasmConfig } from './max_pool_grad.js';
import { meanGradConfig, sumGradConfig } from './reduce_grads.js';

/** Kernel names this module registers for the wasm backend. */
export const WASM_TRAINING_KERNELS: readonly string[] = [tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.MaxPoolGrad, tf.Identity, tf.Sum, tf.Mean];
/** Gradients this module replaces for every backend (same maths, no full-size Tile or JS-built ones). */
export const REPLACED_GRADIENTS: readonly string[] = [tf.FusedBatchNorm, tf.Sum, tf.Mean];

/** The stock kernels the registered ones compose. */
const BUILDING_BLOCKS = ['Conv2D', 'BatchMatMul', 'Transpose', 'Reshape', 'Slice', 'Fill', 'Identity', 'AvgPool', 'Sum', 'Mean', 'Multiply'];

let registered = false;

/**
 * Register `config` in place of the stock kernel of that name. The stock kernel's setup/dispose hooks
 * (which bind its wasm function when the backend starts) are kept, as our kernel may delegate to it.
 */
function replaceKernel(config: tf.KernelConfig): void {
  const stock = tf.getKernel(config.kernelName, config.backendName);
  if (stock != null) tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel({ ...config, setupFunc: stock?.setupFunc, disposeFunc: stock?.disposeFunc });
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
  replaceKernel(maxPoolGradWasmConfig);
  replaceKernel(identityWasmConfig);
  replaceKernel(sumWasmConfig);
  replaceKernel(meanWasmConfig);
  tf.registerGradient(batchNormGradConfig);
  tf.registerGradient(sumGradConfig);
  tf.registerGradient(meanGradConfig);
  registered = true;
}
