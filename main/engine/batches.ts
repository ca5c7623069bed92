/** Training-set plumbing: input checks, seeded epoch orders (shuffled or class-balanced), chip gathering. */
import type { ChipTensorSet } from '../data/types.js';
import { createRng, shuffleInPlace, type Rng } from '../data/random.js';

/** (batch, n, size, channels, rng) → augmented copy of n NHWC chips. */
export type AugmentFn = (batch: Float32Array, n: number, size: number, channels: number, rng: Rng) => Float32Array;

/** Throw a one-line error when a chip set is malformed. */
export function validateChipSet(set: ChipTensorSet, name: string): void {
  const { n, size, channels } = set;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} set: needs at least 1 chip, got ${n}`);
  if (set.x.length !== n * size * size * channels) {
    throw new Error(`${name} set: x has ${set.x.length} values, expected ${n}×${size}×${size}×${channels}`);
  }
  if (set.y.length !== n || set.keys.length !== n) throw new Error(`${name} set: y/keys length differ from n = ${n}`);
  if (set.classes.length < 2) throw new Error(`${name} set: needs at least 2 classes, got ${set.classes.length}`);
  for (let i = 0; i < n; i++) {
    const label = set.y[i];
    if (!(label >= 0 && label < set.classes.length)) throw new Error(`${name} set: chip ${set.keys[i]} has label ${label} outside 0..${set.classes.length - 1}`);
  }
}

/** A reproducible seed for (run seed, phase, epoch): every epoch's random stream is independent of the others. */
export function epochSeed(seed: number, phase: 'teacher' | 'student', epoch: number): number {
  let h = (seed >>> 0) ^ (phase === 'teacher' ? 0x5bd1e995 : 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = (h + Math.imul(epoch, 0x9e3779b1)) >>> 0;
  return Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
}

/** The chip order of one epoch: a seeded shuffle of all chips, or n class-balanced draws. */
export function epochOrder(labels: Int32Array, numClasses: number, balanced: boolean, rng: Rng): Int32Array {
  const n = labels.length;
  if (!balanced) {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(order, rng);
    return order;
  }
  // Classes are drawn uniformly; within a class, chips come from a reshuffled cyclic queue (no repeats until exhausted).
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  labels.forEach((label, i) => byClass[label].push(i));
  const present = byClass.map((_, c) => c).filter((c) => byClass[c].length > 0);
  const cursor = new Array<number>(numClasses).fill(0);
  for (const c of present) shuffleInPlace(byClass[c], rng);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = present[Math.floor(rng() * present.length)];
    if (cursor[c] === byClass[c].length) {
      shuffleInPlace(byClass[c], rng);
      cursor[c] = 0;
    }
    order[i] = byClass[c][cursor[c]++];
  }
  return order;
}

/** Split an epoch order into batches; a trailing batch of a single chip is dropped (batch norm needs ≥ 2). */
export function splitBatches(order: Int32Array, batchSize: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let s = 0; s < order.length; s += batchSize) {
    const b = order.subarray(s, Math.min(order.length, s + batchSize));
    if (b.length >= 2 || out.length === 0) out.push(b);
  }
  return out;
}

/** Number of steps an epoch of `n` chips takes. */
export function batchesPerEpoch(n: number, batchSize: number): number {
  const full = Math.floor(n / batchSize);
  const rest = n - full * batchSize;
  return full + (rest >= 2 || full === 0 ? 1 : 0);
}

/** Copy the chips `idx` of `set` into one NHWC array. */
export function gatherChips(set: ChipTensorSet, idx: ArrayLike<number>): Float32Array {
  const per = set.size * set.size * set.channels;
  const out = new Float32Array(idx.length * per);
  for (let r = 0; r < idx.length; r++) out.set(set.x.subarray(idx[r] * per, (idx[r] + 1) * per), r * per);
  return out;
}

/** Gather and, when an augmentation is given, augment (each call draws a fresh random view). */
export function chipBatch(set: ChipTensorSet, idx: ArrayLike<number>, augment: AugmentFn | undefined, rng: Rng): Float32Array {
  const raw = gatherChips(set, idx);
  if (!augment) return raw;
  const out = augment(raw, idx.length, set.size, set.channels, rng);
  if (out.length !== raw.length) throw new Error(`augment returned ${out.length} values for ${raw.length}`);
  return out;
}

export { createRng };
