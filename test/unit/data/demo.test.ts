import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeChipFile } from '../../../main/data/decodeChip.js';
import { DEMO_CLASSES, generateDemoChip } from '../../../main/data/demo/demoChips.js';
import { DEMO_MARKER, demoChipRng, writeDemoDataset } from '../../../main/data/demo/demoDataset.js';
import { listChipFiles, toKey } from '../../../main/data/listChipFiles.js';
import { brightShape, histogram16, leaveOneOutAccuracy } from './helpers/demoFeatures.js';
import { makeTmpDir } from './helpers/tmpDir.js';

let tmp: ReturnType<typeof makeTmpDir>;
beforeEach(() => {
  tmp = makeTmpDir('demo');
});
afterEach(() => tmp.cleanup());

const opts = { seed: 3, perClass: 10, size: 32, classes: 4 };

describe('writeDemoDataset', () => {
  it('writes <split>/<class>/chip_NNNN.png, 70/15/15 per class, equal to generateDemoChip', async () => {
    const dir = path.join(tmp.dir, 'a');
    const res = await writeDemoDataset(dir, opts);
    expect(res).toEqual({ dir, classes: ['tank', 'truck', 'boat', 'reflector'], count: 40 });
    const keys = (await listChipFiles(dir)).map((f) => toKey(dir, f));
    expect(keys).toHaveLength(40);
    expect(keys.filter((k) => k.startsWith('train/tank/'))).toHaveLength(7);
    expect(keys.filter((k) => k.startsWith('val/tank/'))).toEqual(['val/tank/chip_0007.png', 'val/tank/chip_0008.png']);
    expect(keys.filter((k) => k.startsWith('test/boat/'))).toEqual(['test/boat/chip_0009.png']);
    const decoded = await decodeChipFile(path.join(dir, 'val/boat/chip_0008.png'));
    const direct = generateDemoChip('boat', demoChipRng(3, 2, 8), 32);
    expect(decoded).toMatchObject({ width: 32, height: 32, channels: 1, format: 'png' });
    expect(Array.from(decoded.data)).toEqual(Array.from(direct.data));
  });

  it('same seed → identical bytes; another seed → different chips', async () => {
    const a = path.join(tmp.dir, 'a');
    const b = path.join(tmp.dir, 'b');
    const c = path.join(tmp.dir, 'c');
    await writeDemoDataset(a, opts);
    await writeDemoDataset(b, opts);
    await writeDemoDataset(c, { ...opts, seed: 4 });
    const files = await listChipFiles(a);
    for (const f of files) {
      const rel = toKey(a, f);
      expect(readFileSync(path.join(b, rel)).equals(readFileSync(f))).toBe(true);
      expect(readFileSync(path.join(c, rel)).equals(readFileSync(f))).toBe(false);
    }
  });

  it('reuses a folder holding the same demo, regenerates on other options, refuses foreign folders', async () => {
    const dir = path.join(tmp.dir, 'a');
    await writeDemoDataset(dir, opts);
    const chip = path.join(dir, 'train/tank/chip_0000.png');
    writeFileSync(chip, 'touched');
    await writeDemoDataset(dir, opts);
    expect(readFileSync(chip, 'utf8')).toBe('touched');
    const res = await writeDemoDataset(dir, { ...opts, perClass: 6 });
    expect(res.count).toBe(24);
    expect(readFileSync(chip).subarray(1, 4).toString()).toBe('PNG');
    expect(readdirSync(path.join(dir, 'train/tank'))).toHaveLength(4);
    expect(JSON.parse(readFileSync(path.join(dir, DEMO_MARKER), 'utf8'))).toMatchObject({ perClass: 6, seed: 3 });
    writeFileSync(path.join(tmp.dir, 'other.txt'), 'x');
    await expect(writeDemoDataset(tmp.dir, opts)).rejects.toThrow(/not empty and holds no demo dataset/);
  });
});

describe('generateDemoChip', () => {
  it('is deterministic, 8-bit, one size for every class', () => {
    for (const cls of DEMO_CLASSES) {
      const a = generateDemoChip(cls, demoChipRng(1, 0, 0), 40);
      expect(a).toMatchObject({ width: 40, height: 40, channels: 1 });
      expect(Array.from(a.data)).toEqual(Array.from(generateDemoChip(cls, demoChipRng(1, 0, 0), 40).data));
      expect(a.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)).toBe(true);
    }
    expect(() => generateDemoChip('plane', demoChipRng(1, 0, 0))).toThrow("unknown demo class 'plane'");
  });

  it('classes are separable by target shape, and intensity statistics alone do not solve them', () => {
    const classes = DEMO_CLASSES.slice(0, 4);
    const shape: number[][] = [];
    const hist: number[][] = [];
    const labels: number[] = [];
    classes.forEach((cls, c) => {
      for (let i = 0; i < 30; i++) {
        const chip = generateDemoChip(cls, demoChipRng(7, c, i), 48);
        shape.push(brightShape(chip.data, 48));
        hist.push(histogram16(chip.data));
        labels.push(c);
      }
    });
    expect(leaveOneOutAccuracy(shape, labels)).toBeGreaterThan(0.6); // measured 0.76 (chance 0.25)
    expect(leaveOneOutAccuracy(hist, labels)).toBeLessThan(0.8); // measured 0.675
  });
});
