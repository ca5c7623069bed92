/** Synthetic chips for engine tests: one bright Gaussian blob whose position depends on the class, plus noise. */
import type { ChipTensorSet } from '../../../main/data/types.js';
import { createRng, randomNormal } from '../../../main/data/random.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../../main/engine/config.js';

export interface BlobOptions {
  n: number;
  size: number;
  channels?: number;
  classes?: number;
  seed: number;
  noise?: number;
}

/** Class c puts its blob at a fixed spot on a circle around the centre (jittered ±1 px). */
export function blobChips(o: BlobOptions): ChipTensorSet {
  const channels = o.channels ?? 1;
  const k = o.classes ?? 2;
  const rng = createRng(o.seed);
  const per = o.size * o.size * channels;
  const x = new Float32Array(o.n * per);
  const y = new Int32Array(o.n);
  const keys: string[] = [];
  const r = o.size / 4;
  for (let i = 0; i < o.n; i++) {
    const c = i % k;
    y[i] = c;
    keys.push(`c${c}/chip${i}.png`);
    const cx = o.size / 2 + r * Math.cos((2 * Math.PI * c) / k) + (rng() * 2 - 1);
    const cy = o.size / 2 + r * Math.sin((2 * Math.PI * c) / k) + (rng() * 2 - 1);
    for (let py = 0; py < o.size; py++) {
      for (let px = 0; px < o.size; px++) {
        const blob = 3 * Math.exp(-((px - cx) ** 2 + (py - cy) ** 2) / (2 * (o.size / 10) ** 2));
        for (let ch = 0; ch < channels; ch++) {
          x[i * per + (py * o.size + px) * channels + ch] = blob + (o.noise ?? 0.3) * randomNormal(rng);
        }
      }
    }
  }
  return { x, y, keys, n: o.n, size: o.size, channels, classes: Array.from({ length: k }, (_, c) => `class${c}`), };
}

/** A tiny, fast training config on top of the defaults. */
export function tinyConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    student: 'sarnet',
    teacher: 'sarnet',
    epochs: 2,
    teacherEpochs: 1,
    batchSize: 8,
    learningRate: 3e-3,
    weightDecay: 1e-4,
    seed: 3,
    preprocess: { ...DEFAULT_TRAIN_CONFIG.preprocess, size: 16 },
    ...overrides,
  };
}
