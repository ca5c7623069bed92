/**
 * Calling the wasm backend's own (stock, fast) kernels from inside a kernel we register.
 *
 * A kernel function receives raw `TensorInfo`s, not tensors, and must not create tracked tensors.
 * So our kernels compose stock wasm kernels directly (Conv2D, Transpose, Slice, …) through
 * `getKernel(name, 'wasm').kernelFunc`, and every intermediate result is released through the
 * backend's own reference counting when the composing kernel finishes — also when it throws.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type TensorInfo = tf.TensorInfo;
type AttrValue = number | number[] | number[][] | boolean | string | null;
export type Attrs = Record<string, AttrValue>;

/** The stock kernels we compose with, captured before any of ours replaces a name. */
const stockKernels = new Map<string, tf.KernelFunc>();

/** Remember the stock wasm kernel `name` (call before overriding it). */
export function captureStockKernel(name: string): void {
  if (stockKernels.has(name)) return;
  const config = tf.getKernel(name, 'wasm');
  if (config == null) throw new Error(`wasm kernels: the wasm backend has no '${name}' kernel to build on`);
  stockKernels.set(name, config.kernelFunc);
}

function stockKernel(name: string): tf.KernelFunc {
  captureStockKernel(name);
  return stockKernels.get(name) as tf.KernelFunc;
}

/**
 * A scope of wasm kernel calls: `run` executes a stock kernel and keeps its output for release;
 * `keep` hands one result out of the scope; `release` frees everything else.
 */
export class KernelScope {
  private readonly owned: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(name: string, inputs: Record<string, TensorInfo> | TensorInfo[], attrs: Attrs = {}): TensorInfo {
    const out = stockKernel(name)({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: this.backend,
      attrs: attrs as tf.NamedAttrMap,
    }) as TensorInfo;
    this.owned.push(out);
    return out;
  }

  /** Reshape without copying (the wasm Reshape kernel shares the buffer and counts a reference). */
  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Slice; returns `x` itself when the slice is the whole tensor. */
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    if (begin.every((b) => b === 0) && size.every((s, i) => s === x.shape[i])) return x;
    return this.run('Slice', { x }, { begin, size });
  }

  zeros(shape: number[]): TensorInfo {
    return this.run('Fill', {}, { shape, value: 0, dtype: 'float32' });
  }

  /** NHWC convolution, stride 1 unless given, explicit [top, bottom, left, right] padding. */
  conv2d(x: TensorInfo, filter: TensorInfo, pads: [number, number, number, number], dilations: [number, number] = [1, 1], strides: [number, number] = [1, 1]): TensorInfo {
    const [top, bottom, left, right] = pads;
    return this.run(
      'Conv2D',
      { x, filter },
      {
        strides,
        dilations,
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dimRoundingMode: null,
      },
    );
  }

  /** A new float32 output of `shape` in this scope (uninitialised wasm heap memory; fill it with `write`). */
  allocate(shape: number[]): TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    this.owned.push(out);
    return out;
  }

  /**
   * A plain-memory copy of `info`'s values. JavaScript loops over views of the wasm heap run ~3.5×
   * slower than over ordinary typed arrays (shared, growable memory defeats V8's optimisations), so
   * loops read copies and write their results back with `write` (both are memcpy-speed).
   */
  read(info: TensorInfo): Float32Array {
    // The typed-array constructor copies shared memory at memcpy speed; `slice` is ~8× slower on it.
    return new Float32Array(this.backend.typedArrayFromHeap(info) as Float32Array);
  }

  /** Copy `values` into `info`'s heap memory. */
  write(info: TensorInfo, values: Float32Array): void {
    (this.backend.typedArrayFromHeap(info) as Float32Array).set(values);
  }

  /** A new float32 output of `shape` holding `values`. */
  output(shape: number[], values: Float32Array): TensorInfo {
    const out = this.allocate(shape);
    this.write(out, values);
    return out;
  }

  /** Plain 2-D matrix product a [M, K] · b [K, N] (XNNPACK; b is the packed operand). */
  matmul(a: TensorInfo, b: TensorInfo): TensorInfo {
    const out = this.run('BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
    return out;
  }

  /** Take `info` out of the scope: it survives `release` and belongs to the caller. */
  keep(info: TensorInfo): TensorInfo {
    // An input passed through unchanged gets its own counted reference, so the caller may dispose it.
    const kept = this.owned.includes(info) ? info : this.reshape(info, info.shape);
    this.owned.splice(this.owned.lastIndexOf(kept), 1);
    return kept;
  }

  release(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}

/** Run `body` in a fresh scope; its returned result is kept, every intermediate released. */
export function withKernelScope(backend: BackendWasm, body: (scope: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.release();
  }
}
