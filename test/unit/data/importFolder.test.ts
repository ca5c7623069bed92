import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { importFolder } from '../../../main/data/importFolder.js';
import { buildPhoenix } from './helpers/mstarWriter.js';
import { makeTmpDir } from './helpers/tmpDir.js';
import { buildTiff } from './helpers/tiffWriter.js';

function grayPng(size: number, value: number): Buffer {
  const p = new PNG({ width: size, height: size, colorType: 0 });
  p.data = Buffer.alloc(size * size * 4, value);
  return PNG.sync.write(p, { colorType: 0 });
}

function put(root: string, rel: string, data: Buffer | string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

let tmp: ReturnType<typeof makeTmpDir>;
beforeEach(() => {
  tmp = makeTmpDir('import');
});
afterEach(() => tmp.cleanup());

describe('importFolder', () => {
  it('imports good files, skips bad ones with reasons and goes on (class layout)', async () => {
    const root = tmp.dir;
    for (let i = 0; i < 10; i++) put(root, `ship/p${i}.png`, grayPng(12, 10 + i));
    for (let i = 0; i < 10; i++) put(root, `car/c${i}.tif`, buildTiff({ width: 9, height: 7, bands: 2, type: 'float32', values: new Array(126).fill(0.5) }));
    put(root, 'car/m.000', buildPhoenix({ rows: 5, cols: 6, magnitude: new Array(30).fill(1) }));
    // same file name in two classes: keys must stay distinct
    put(root, 'car/same.png', grayPng(12, 1));
    put(root, 'ship/same.png', grayPng(12, 2));
    const good = grayPng(12, 3);
    put(root, 'ship/truncated.png', good.subarray(0, good.length - 20));
    put(root, 'ship/random.jpeg', Buffer.from(Array.from({ length: 64 }, (_, k) => (k * 73 + 11) % 256)));
    put(root, 'ship/empty.png', Buffer.alloc(0));
    put(root, 'car/huge.tif', buildTiff({ width: 2, height: 2, bands: 1, type: 'uint8', values: [1, 2, 3, 4], declaredWidth: 10000, declaredHeight: 10000 }));
    const mstar = buildPhoenix({ rows: 8, cols: 8, magnitude: new Array(64).fill(1) });
    put(root, 'car/cut.001', mstar.subarray(0, mstar.length - 100));
    put(root, 'car/.hidden.png', grayPng(12, 1));
    put(root, '.git/x/y.png', grayPng(12, 1));
    put(root, 'README.md', 'loose files in the root are not chips');

    const progress: number[] = [];
    const report = await importFolder(root, { onProgress: (d, t) => progress.push(d / t), seed: 3 });
    expect(report.layout).toBe('class');
    expect(report.classes).toEqual(['car', 'ship']);
    expect(report.samples).toHaveLength(23);
    expect(report.skipped.map((s) => path.basename(s.path))).toEqual(['cut.001', 'huge.tif', 'empty.png', 'random.jpeg', 'truncated.png']);
    const reasons = Object.fromEntries(report.skipped.map((s) => [path.basename(s.path), s.reason]));
    expect(reasons['cut.001']).toMatch(/^car\/cut\.001: truncated MSTAR file/);
    expect(reasons['huge.tif']).toBe('car/huge.tif: image 10000×10000 exceeds the 4096 px side limit');
    expect(reasons['empty.png']).toBe('ship/empty.png: empty file');
    expect(reasons['random.jpeg']).toMatch(/unknown format/);
    expect(reasons['truncated.png']).toMatch(/truncated PNG/);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toHaveLength(28);

    const keys = report.samples.map((s) => s.key);
    expect(keys).toContain('car/same.png');
    expect(keys).toContain('ship/same.png');
    expect(keys).toEqual([...keys].sort());
    const tif = report.samples.find((s) => s.key === 'car/c0.tif')!;
    expect(tif).toMatchObject({ className: 'car', label: 0, width: 9, height: 7, channels: 2, format: 'tiffFloat', path: path.join(root, 'car/c0.tif') });
    expect(report.samples.find((s) => s.key === 'car/m.000')).toMatchObject({ format: 'mstar', width: 6, height: 5 });
    expect(report.samples.find((s) => s.key === 'ship/p0.png')).toMatchObject({ label: 1, width: 12, channels: 1, format: 'png' });
    // 12 car chips → round(1.8)=2 val, 2 test; 11 ship → 2 val, 2 test
    const count = (cls: string, split: string): number => report.samples.filter((s) => s.className === cls && s.split === split).length;
    expect([count('car', 'train'), count('car', 'val'), count('car', 'test')]).toEqual([8, 2, 2]);
    expect([count('ship', 'train'), count('ship', 'val'), count('ship', 'test')]).toEqual([7, 2, 2]);
    expect(report.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const again = await importFolder(root, { seed: 3 });
    expect(again.contentHash).toBe(report.contentHash);
    expect(again.samples).toEqual(report.samples);
    const otherSeed = await importFolder(root, { seed: 4 });
    expect(otherSeed.contentHash).not.toBe(report.contentHash);
    put(root, 'ship/p0.png', grayPng(13, 10));
    expect((await importFolder(root, { seed: 3 })).contentHash).not.toBe(report.contentHash);
  });

  it('keeps a split/class layout, maps validation → val, carves val when missing', async () => {
    const root = tmp.dir;
    for (const cls of ['B', 'A']) {
      for (let i = 0; i < 20; i++) put(root, `Train/${cls}/x${i}.png`, grayPng(4, i));
      for (let i = 0; i < 5; i++) put(root, `test/${cls}/x${i}.png`, grayPng(4, i));
    }
    const noCarve = await importFolder(root, { valFraction: 0 });
    expect(noCarve.layout).toBe('split/class');
    expect(noCarve.classes).toEqual(['A', 'B']);
    expect(noCarve.samples.filter((s) => s.split === 'train')).toHaveLength(40);
    expect(noCarve.samples.filter((s) => s.split === 'test')).toHaveLength(10);
    expect(noCarve.samples[0].key).toBe('Train/A/x0.png');

    const carved = await importFolder(root, { valFraction: 0.2, seed: 9 });
    for (const cls of ['A', 'B']) {
      expect(carved.samples.filter((s) => s.className === cls && s.split === 'val')).toHaveLength(4);
      expect(carved.samples.filter((s) => s.className === cls && s.split === 'train')).toHaveLength(16);
      expect(carved.samples.filter((s) => s.className === cls && s.split === 'val').every((s) => s.key.startsWith('Train/'))).toBe(true);
    }
    for (let i = 0; i < 3; i++) put(root, `validation/A/v${i}.png`, grayPng(4, i));
    const withVal = await importFolder(root, { valFraction: 0.2 });
    expect(withVal.samples.filter((s) => s.split === 'val').map((s) => s.key)).toEqual(['validation/A/v0.png', 'validation/A/v1.png', 'validation/A/v2.png']);
  });

  it('derives scene groups and keeps each scene on one side', async () => {
    const root = tmp.dir;
    const scenes = ['S1A_IW_GRDH_1SDV_20160131T101646', 'S1A_IW_GRDH_1SSV_20160131T204259', 'S1A_IW_SLC__1SSV_20150217T204257', 'S1B_X', 'S1C_Y'];
    for (const cls of ['Tanker', 'Cargo']) {
      scenes.forEach((scene, s) => {
        for (let i = 0; i < 4; i++) put(root, `${cls}/${scene}__${cls}_x${s}${i}.png`, grayPng(4, i));
      });
    }
    const report = await importFolder(root, { groupBy: 'scene', valFraction: 0.2, testFraction: 0.2, seed: 5 });
    expect(report.samples[0].group).toBe(scenes[0]);
    for (const scene of scenes) {
      const splits = new Set(report.samples.filter((s) => s.group === scene).map((s) => s.split));
      expect(splits.size).toBe(1);
    }
    expect(new Set(report.samples.map((s) => s.split))).toEqual(new Set(['train', 'val', 'test']));
  });

  it('rejects a root without class folders or with mixed layouts, honours abort', async () => {
    await expect(importFolder(tmp.dir)).rejects.toThrow(/no class folders found/);
    put(tmp.dir, 'train/A/a.png', grayPng(4, 1));
    put(tmp.dir, 'T72/b.png', grayPng(4, 1));
    await expect(importFolder(tmp.dir)).rejects.toThrow(/mixes split folders \(train\) with other folders \(T72\)/);
    const ctl = new AbortController();
    ctl.abort();
    await expect(importFolder(path.join(tmp.dir, 'train'), { signal: ctl.signal })).rejects.toThrow(/abort/i);
  });

  it('takes every chip of a separate test folder as the test split; the main root gives train and validation only', async () => {
    const train = path.join(tmp.dir, 'train17');
    const test = path.join(tmp.dir, 'test15');
    for (const cls of ['BMP2', 'T72']) {
      for (let i = 0; i < 10; i++) put(train, `${cls}/hb${i}.png`, grayPng(12, 10 + i));
      for (let i = 0; i < 4; i++) put(test, `${cls}/hb${i}.png`, grayPng(12, 50 + i));
    }
    put(test, 'T72/broken.png', Buffer.alloc(3));
    const report = await importFolder(train, { testRoot: test, valFraction: 0.2, testFraction: 0.3, seed: 2 });
    const count = (split: string) => report.samples.filter((s) => s.split === split).length;
    expect([count('train'), count('val'), count('test')]).toEqual([16, 4, 8]);
    expect(report.samples.filter((s) => s.split === 'test').every((s) => s.key.startsWith('test/') && s.path.startsWith(test))).toBe(true);
    expect(report.samples.filter((s) => s.split !== 'test').every((s) => s.path.startsWith(train))).toBe(true);
    expect(new Set(report.samples.map((s) => s.key)).size).toBe(28);
    expect(report.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^test\/T72\/broken\.png: /)]);

    put(test, 'ZSU/z.png', grayPng(12, 1));
    await expect(importFolder(train, { testRoot: test })).rejects.toThrow(`${test}: test classes without training chips: ZSU`);
    await expect(importFolder(train, { testRoot: train })).rejects.toThrow('the test folder is the training folder');
    put(path.join(tmp.dir, 'split'), 'train/BMP2/a.png', grayPng(12, 1));
    put(path.join(tmp.dir, 'split'), 'test/BMP2/b.png', grayPng(12, 1));
    await expect(importFolder(path.join(tmp.dir, 'split'), { testRoot: test })).rejects.toThrow('has its own test folder');
    await expect(importFolder(train, { testRoot: path.join(tmp.dir, 'split') })).rejects.toThrow('must hold class folders');
  });
});
