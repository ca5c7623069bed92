/**
 * Identity for the wasm backend without a copy. tfjs clones every tensor a gradient saves for the
 * backward pass (engine.clone → Identity); the stock wasm kernel copies the whole buffer each time
 * (~600 full-size copies per ResNet18 step), where the cpu backend only counts a reference. Tensors are
 * immutable and no wasm kernel writes into its inputs, so sharing the buffer is safe — the same thing
 * the wasm Reshape kernel does.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelScope, type TensorInfo } from './kernel_calls.js';

export function identityWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const backend = args.backend as BackendWasm;
  const x = args.inputs.x as TensorInfo;
  if (x.dtype === 'string') {
    const scope = new KernelScope(backend);
    return scope.keep(scope.run(tf.Identity, { x }));
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityWasmConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as tf.KernelFunc,
};
