/**
 * Synthetic SAR-like chips for the built-in demo dataset (deterministic from the rng).
 * Scene: low clutter (power ≈ 0.03–0.05) with a few weak distractor points; a target of the class
 * (shapes below, random orientation, size ×0.85–1.15, brightness ×0.5–1.4, centre jittered by up to
 * ±size/8); a radar shadow behind
 * the target (radar at the top, shadow extends downwards); multiplicative gamma speckle with
 * 1–4 looks; then log compression of 10·log10(power) from [−25, 15] dB to 0–255 (8-bit values).
 * Shapes are given for a 48 px chip and scale with size.
 */
import { randomGamma, type Rng } from '../random.js';
import type { RawChip } from '../types.js';

export const DEMO_CLASSES = ['tank', 'truck', 'boat', 'reflector', 'building', 'clutter'] as const;
export type DemoClass = (typeof DEMO_CLASSES)[number];

const DB_LOW = -25;
const DB_HIGH = 15;

/** Reflectivity of the target at target-frame coordinates (u along the length, v across), in px at 48 px. */
type Shape = (u: number, v: number) => number;

interface TargetSpec {
  shape: Shape;
  /** Shadow length in px (at 48 px). */
  shadow: number;
  /** Orientation matters (false: the shape is drawn in image axes). */
  rotates: boolean;
}

const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();
const blob = (du: number, dv: number, w: number): number => Math.exp(-(du * du + dv * dv) / (2 * w * w));
/** Soft box indicator: 1 inside |u| ≤ a, |v| ≤ b, smooth 1 px edges. */
const box = (u: number, v: number, a: number, b: number): number => {
  const s = (d: number): number => Math.min(1, Math.max(0, 0.5 - d));
  return s(Math.abs(u) - a) * s(Math.abs(v) - b);
};
const sinc = (t: number): number => (Math.abs(t) < 1e-9 ? 1 : Math.sin(Math.PI * t) / (Math.PI * t));

type Point = [number, number, number]; // u, v, amplitude

function targetFor(cls: DemoClass, rng: Rng): TargetSpec {
  const gain = uniform(rng, 0.5, 1.4);
  switch (cls) {
    case 'tank': {
      const pts: Point[] = [[0.5, 0, 6], ...Array.from({ length: 4 }, (): Point => [uniform(rng, -4.5, 4.5), uniform(rng, -2.8, 2.8), uniform(rng, 2, 5)])];
      const gun = uniform(rng, 9, 12);
      const shape: Shape = (u, v) => {
        let r = 1.2 * box(u, v, 5, 3.2);
        if (u > 2 && u < gun) r += 2 * Math.exp(-(v * v) / (2 * 0.36));
        for (const [pu, pv, a] of pts) r += a * blob(u - pu, v - pv, 0.8);
        return gain * r;
      };
      return { shape, shadow: 6, rotates: true };
    }
    case 'truck': {
      const len = uniform(rng, 8, 10);
      const shape: Shape = (u, v) => gain * (0.8 * box(u, v, len, 2.5) + 8 * blob(u - (len - 1), v, 0.9) + 8 * blob(u + len - 1, v, 0.9));
      return { shape, shadow: 5, rotates: true };
    }
    case 'boat': {
      const a = uniform(rng, 10, 13);
      const b = uniform(rng, 2.5, 3.5);
      const shape: Shape = (u, v) => {
        const e = (u / a) ** 2 + (v / b) ** 2;
        return gain * (1.5 * Math.min(1, Math.max(0, (1 - e) * 4)) + 6 * blob(u + 0.55 * a, v, 1.1));
      };
      return { shape, shadow: 2, rotates: true };
    }
    case 'reflector': {
      const amp = uniform(rng, 25, 45);
      // Point target through a sinc² point-spread function: the sidelobes form a cross along the image axes.
      return { shape: (x, y) => amp * sinc(x / 1.1) ** 2 * sinc(y / 1.1) ** 2, shadow: 0, rotates: false };
    }
    case 'building': {
      const la = uniform(rng, 11, 15);
      const lb = uniform(rng, 7, 10);
      const line = (along: number, across: number, len: number): number => (along >= 0 && along <= len ? Math.exp(-(across * across) / (2 * 0.49)) : 0);
      const shape: Shape = (u, v) => gain * (4 * Math.max(line(u, v, la), line(v, u, lb)) + 0.3 * (u > 0 && u < la && v > 0 && v < lb ? 1 : 0));
      return { shape, shadow: 12, rotates: true };
    }
    case 'clutter':
      return { shape: () => 0, shadow: 0, rotates: false };
  }
}

/** One demo chip: 8-bit log-compressed values (0–255 integers) as a 1-channel RawChip of format 'png'. */
export function generateDemoChip(className: string, rng: Rng, size = 48): RawChip {
  if (!(DEMO_CLASSES as readonly string[]).includes(className)) throw new RangeError(`unknown demo class '${className}' (known: ${DEMO_CLASSES.join(', ')})`);
  if (!Number.isInteger(size) || size < 16 || size > 512) throw new RangeError(`demo chip size must be an integer 16–512, got ${size}`);
  const k = size / 48;
  const clutter = uniform(rng, 0.03, 0.05);
  const looks = 1 + Math.floor(rng() * 4);
  const cx = size / 2 + uniform(rng, -size / 8, size / 8);
  const cy = size / 2 + uniform(rng, -size / 8, size / 8);
  const theta = uniform(rng, 0, Math.PI);
  const distractors: Point[] = Array.from({ length: Math.floor(rng() * 4) }, (): Point => [uniform(rng, 0, size), uniform(rng, 0, size), uniform(rng, 0.3, 2.5)]);
  const target = targetFor(className as DemoClass, rng);
  const scale = uniform(rng, 0.85, 1.15);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);

  const power = new Float64Array(size * size);
  const isTarget = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = (x - cx) / (k * scale);
      const dy = (y - cy) / (k * scale);
      const u = target.rotates ? dx * cos + dy * sin : dx;
      const v = target.rotates ? -dx * sin + dy * cos : dy;
      let t = target.shape(u, v);
      if (t > 0.3) isTarget[y * size + x] = 1;
      for (const [px, py, a] of distractors) t += a * blob(x - px, y - py, 0.8);
      power[y * size + x] = t;
    }
  }
  const shadowLen = target.shadow * k * scale;
  const data = new Float32Array(size * size);
  for (let x = 0; x < size; x++) {
    let lastTarget = -Infinity;
    for (let y = 0; y < size; y++) {
      const p = y * size + x;
      if (isTarget[p]) lastTarget = y;
      const shadowed = !isTarget[p] && y - lastTarget <= shadowLen;
      const intensity = (clutter * (shadowed ? 0.12 : 1) + power[p]) * (randomGamma(rng, looks) / looks);
      const db = 10 * Math.log10(Math.max(intensity, 1e-12));
      data[p] = Math.round(255 * Math.min(1, Math.max(0, (db - DB_LOW) / (DB_HIGH - DB_LOW))));
    }
  }
  return { width: size, height: size, channels: 1, data, format: 'png', linear: false };
}
