import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeChannelStats, computeSplitStats } from '../../../main/data/channelStats.js';
import { decodeChipFile } from '../../../main/data/decodeChip.js';
import { importFolder } from '../../../main/data/importFolder.js';
import { listChipFiles } from '../../../main/data/listChipFiles.js';
import { preprocessChip } from '../../../main/data/preprocess.js';
import { loadChipsForInference, loadTensorSets } from '../../../main/data/tensorSets.js';
import type { PreprocessConfig } from '../../../main/data/types.js';
import { makeTmpDir } from './helpers/tmpDir.js';
import { buildTiff } from './helpers/tiffWriter.js';

let tmp: ReturnType<typeof makeTmpDir>;
beforeEach(() => {
  tmp = makeTmpDir('tensors');
});
afterEach(() => tmp.cleanup());

function put(rel: string, data: Buffer | string): string {
  const file = path.join(tmp.dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return file;
}

/** A chip of size w×w with 1 or 2 float bands, values derived from `seed`. */
function tif(w: number, bands: number, seed: number): Buffer {
  const values = Array.from({ length: w * w * bands }, (_, k) => ((k * 7 + seed * 13) % 17) / 4 + 0.01);
  return buildTiff({ width: w, height: w, bands, type: 'float32', values });
}

const cfg: PreprocessConfig = { size: 6, fit: 'crop', intensity: 'db', normalise: 'chip', channels: 2 };

describe('loadTensorSets', () => {
  it('fills NHWC sets per split in key order with exactly preprocessChip of each file', async () => {
    for (let i = 0; i < 6; i++) {
      put(`train/b/x${i}.tif`, tif(5 + i, i % 2 ? 2 : 1, i));
      put(`train/a/y${i}.tif`, tif(8, 2, i + 10));
    }
    put('test/a/z.tif', tif(7, 1, 99));
    const report = await importFolder(tmp.dir, { valFraction: 0.34, seed: 2 });
    const progress: number[] = [];
    const sets = await loadTensorSets(report, cfg, { onProgress: (d) => progress.push(d) });
    expect(progress).toEqual(Array.from({ length: 13 }, (_, k) => k + 1));
    expect(sets.train.n + sets.val.n + sets.test.n).toBe(13);
    expect(sets.val.n).toBe(4);
    expect(sets.test.keys).toEqual(['test/a/z.tif']);
    for (const split of ['train', 'val', 'test'] as const) {
      const set = sets[split];
      expect(set).toMatchObject({ size: 6, channels: 2, classes: ['a', 'b'] });
      expect(set.x.length).toBe(set.n * 72);
      const expected = report.samples.filter((s) => s.split === split);
      expect(set.keys).toEqual(expected.map((s) => s.key));
      expect(Array.from(set.y)).toEqual(expected.map((s) => s.label));
      for (let i = 0; i < set.n; i++) {
        const want = preprocessChip(await decodeChipFile(expected[i].path), cfg);
        expect(Array.from(set.x.subarray(i * 72, (i + 1) * 72))).toEqual(Array.from(want));
      }
    }
    const onlyTest = await loadTensorSets(report, cfg, { splits: ['test'] });
    expect([onlyTest.train.n, onlyTest.val.n, onlyTest.test.n]).toEqual([0, 0, 1]);
    expect(Array.from(onlyTest.test.x)).toEqual(Array.from(sets.test.x));

    writeFileSync(report.samples[0].path, 'gone');
    await expect(loadTensorSets(report, cfg)).rejects.toThrow(/dataset changed since import: .*unknown format/);
  });

  it('computeSplitStats equals computeChannelStats over the decoded train chips', async () => {
    for (let i = 0; i < 4; i++) put(`c${i % 2}/x${i}.tif`, tif(6 + i, 2, i));
    const report = await importFolder(tmp.dir, { valFraction: 0, testFraction: 0 });
    const chips = await Promise.all(report.samples.map((s) => decodeChipFile(s.path)));
    const direct = computeChannelStats(chips, cfg);
    expect(await computeSplitStats(report, cfg)).toEqual(direct);
    expect(direct.mean).toHaveLength(2);
  });
});

describe('inference loading', () => {
  it('lists files recursively without hidden ones, keeps order, lists bad files and geo', async () => {
    const a = put('new/b/one.tif', tif(6, 1, 1));
    const geoTif = buildTiff({ width: 4, height: 4, bands: 1, type: 'uint8', values: new Array(16).fill(50), geo: { tiepoints: [0, 0, 0, 10, 20, 0], pixelScale: [0.5, 0.5, 0], modelType: 2 } });
    const b = put('new/a.tif', geoTif);
    const bad = put('new/notes.txt', 'hello');
    put('new/.DS_Store', 'x');
    put('new/.cache/c.tif', tif(6, 1, 1));
    const files = await listChipFiles(path.join(tmp.dir, 'new'));
    expect(files).toEqual([b, a, bad]);
    const res = await loadChipsForInference(files, { ...cfg, channels: 1, size: 4 });
    expect(res.keys).toEqual([b, a]);
    expect(res).toMatchObject({ n: 2, size: 4, channels: 1 });
    expect(res.geo).toEqual([{ lon: 11, lat: 19 }, null]);
    expect(res.skipped).toEqual([{ path: bad, reason: `${bad}: unknown format (first bytes 68 65 6c 6c; expected PNG, JPEG, TIFF or MSTAR Phoenix)` }]);
    expect(Array.from(res.x.subarray(16))).toEqual(Array.from(preprocessChip(await decodeChipFile(a), { ...cfg, channels: 1, size: 4 })));
  });
});
