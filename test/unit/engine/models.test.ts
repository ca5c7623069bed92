import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, countTrainableParams, createModel } from '../../../main/engine/models/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function forwardShape(model: tf.LayersModel, size: number, channels: number): number[] {
  return tf.tidy(() => (model.predict(tf.zeros([1, size, size, channels])) as tf.Tensor).shape);
}

describe('backbones', () => {
  it('sarnet has 0.2–0.4 M parameters and works from 16 to 128 pixels, 1 or 2 channels', () => {
    for (const [size, channels] of [
      [16, 1],
      [32, 2],
      [128, 1],
    ]) {
      const m = createModel('sarnet', { inputSize: size, channels, numClasses: 10, seed: 1 });
      expect(forwardShape(m, size, channels)).toEqual([1, 10]);
      const n = countTrainableParams(m);
      expect(n).toBeGreaterThan(200_000);
      expect(n).toBeLessThan(400_000);
      m.dispose();
    }
  });

  it('resnet18 has ≈ 11.2 M parameters for 1 channel and 10 classes', () => {
    const m = createModel('resnet18', { inputSize: 32, channels: 1, numClasses: 10, seed: 1 });
    expect(Math.abs(countTrainableParams(m) - 11.18e6)).toBeLessThan(0.05e6);
    expect(countParams(m)).toBeGreaterThan(countTrainableParams(m)); // plus batch-norm running statistics
    expect(forwardShape(m, 32, 1)).toEqual([1, 10]);
    m.dispose();
  });

  it('vgg11 (batch norm, GAP head) has ≈ 9.2 M parameters', () => {
    const m = createModel('vgg11', { inputSize: 32, channels: 2, numClasses: 3, seed: 1 });
    expect(Math.abs(countTrainableParams(m) - 9.22e6)).toBeLessThan(0.05e6);
    expect(forwardShape(m, 32, 2)).toEqual([1, 3]);
    m.dispose();
  });

  it('resnet50 has ≈ 23.5 M parameters (bottleneck blocks)', () => {
    const m = createModel('resnet50', { inputSize: 32, channels: 1, numClasses: 10, seed: 1 });
    expect(Math.abs(countTrainableParams(m) - 23.52e6)).toBeLessThan(0.05e6);
    expect(forwardShape(m, 32, 1)).toEqual([1, 10]);
    m.dispose();
  });

  it('initialisation is deterministic in the seed', () => {
    const opts = { inputSize: 16, channels: 1, numClasses: 2 };
    const a = createModel('sarnet', { ...opts, seed: 7 });
    const b = createModel('sarnet', { ...opts, seed: 7 });
    const c = createModel('sarnet', { ...opts, seed: 8 });
    const first = (m: tf.LayersModel) => Array.from(m.getWeights()[0].dataSync());
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    // Layers of the same shape do not share an initialisation.
    const kernels = a.getWeights().filter((w) => w.shape.length === 4);
    expect(Array.from(kernels[0].dataSync()).slice(0, 5)).not.toEqual(Array.from(kernels[1].dataSync()).slice(0, 5));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rejects bad options with a clear message', () => {
    expect(() => createModel('sarnet', { inputSize: 8, channels: 1, numClasses: 2, seed: 1 })).toThrow(/inputSize/);
    expect(() => createModel('sarnet', { inputSize: 32, channels: 3, numClasses: 2, seed: 1 })).toThrow(/channels/);
    expect(() => createModel('sarnet', { inputSize: 32, channels: 1, numClasses: 1, seed: 1 })).toThrow(/numClasses/);
    expect(() => createModel('alexnet' as never, { inputSize: 32, channels: 1, numClasses: 2, seed: 1 })).toThrow(/unknown backbone/);
  });

  it('building and running models leaks no tensors', () => {
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      const m = createModel('sarnet', { inputSize: 16, channels: 1, numClasses: 2, seed: i });
      forwardShape(m, 16, 1);
      m.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
