/**
 * The built-in demo dataset, generated on the fly (nothing downloaded): 8-bit grayscale PNGs in
 * `<dir>/<split>/<class>/chip_NNNN.png`, per class the first 70 % train, the next 15 % val, the rest
 * test. Every chip has its own rng derived from (seed, class index, chip index), so the bytes depend
 * only on the options. A marker file `.aura-demo.json` (written last) lets a second call with the
 * same options reuse the folder; different options regenerate it.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import { createRng, type Rng } from '../random.js';
import type { RawChip, Split } from '../types.js';
import { DEMO_CLASSES, generateDemoChip } from './demoChips.js';

export interface DemoOptions {
  /** Default 7. */
  seed?: number;
  /** Chips per class, default 60 (3–10000). */
  perClass?: number;
  /** Chip side in px, default 48 (16–512). */
  size?: number;
  /** Number of classes, default 4 (2–6): the first of tank, truck, boat, reflector, building, clutter. */
  classes?: number;
}

export interface DemoDataset {
  dir: string;
  classes: string[];
  count: number;
}

export const DEMO_MARKER = '.aura-demo.json';
const GENERATOR_VERSION = 1;

/** The rng of chip `index` of class `classIndex`. */
export function demoChipRng(seed: number, classIndex: number, index: number): Rng {
  const h = Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(classIndex + 1, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  return createRng(h >>> 0);
}

/** Split of chip `index` among `perClass` chips of a class. */
export function demoSplitOf(index: number, perClass: number): Split {
  const nTrain = Math.round(perClass * 0.7);
  const nVal = Math.round(perClass * 0.15);
  return index < nTrain ? 'train' : index < nTrain + nVal ? 'val' : 'test';
}

/** 8-bit grayscale PNG bytes of a 1-channel chip whose values are 0–255. */
export function encodeGrayPng(chip: RawChip): Buffer {
  const png = new PNG({ width: chip.width, height: chip.height, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  png.data = Buffer.from(Uint8Array.from(chip.data, (v) => Math.min(255, Math.max(0, Math.round(v)))));
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
}

function resolveOptions(opts: DemoOptions): Required<DemoOptions> {
  const o = { seed: opts.seed ?? 7, perClass: opts.perClass ?? 60, size: opts.size ?? 48, classes: opts.classes ?? 4 };
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new RangeError(`demo seed must be an integer ≥ 0, got ${o.seed}`);
  if (!Number.isInteger(o.perClass) || o.perClass < 3 || o.perClass > 10000) throw new RangeError(`demo perClass must be an integer 3–10000, got ${o.perClass}`);
  if (!Number.isInteger(o.size) || o.size < 16 || o.size > 512) throw new RangeError(`demo size must be an integer 16–512, got ${o.size}`);
  if (!Number.isInteger(o.classes) || o.classes < 2 || o.classes > DEMO_CLASSES.length) throw new RangeError(`demo classes must be an integer 2–${DEMO_CLASSES.length}, got ${o.classes}`);
  return o;
}

export async function writeDemoDataset(dir: string, opts: DemoOptions = {}): Promise<DemoDataset> {
  const o = resolveOptions(opts);
  const root = path.resolve(dir);
  const classes = DEMO_CLASSES.slice(0, o.classes) as string[];
  const marker = JSON.stringify({ generator: 'aura-demo', version: GENERATOR_VERSION, ...o });
  const markerPath = path.join(root, DEMO_MARKER);
  const result: DemoDataset = { dir: root, classes, count: o.perClass * classes.length };

  if (existsSync(markerPath)) {
    if ((await readFile(markerPath, 'utf8')) === marker) return result;
    await rm(markerPath);
    for (const split of ['train', 'val', 'test']) await rm(path.join(root, split), { recursive: true, force: true });
  } else if (existsSync(root) && (await readdir(root)).length > 0) {
    throw new Error(`${root}: folder is not empty and holds no demo dataset; choose an empty folder`);
  }

  for (let c = 0; c < classes.length; c++) {
    for (const split of ['train', 'val', 'test']) await mkdir(path.join(root, split, classes[c]), { recursive: true });
    for (let i = 0; i < o.perClass; i++) {
      const chip = generateDemoChip(classes[c], demoChipRng(o.seed, c, i), o.size);
      const file = path.join(root, demoSplitOf(i, o.perClass), classes[c], `chip_${String(i).padStart(4, '0')}.png`);
      await writeFile(file, encodeGrayPng(chip));
    }
  }
  await writeFile(markerPath, marker);
  return result;
}
