import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../../main/store/db.js';
import { CLASSES, importReport, sampleRecords, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

const preprocess = trainConfig().preprocess;

describe('datasets', () => {
  it('stores the import with its counts and returns it', () => {
    const ds = h.datasets.create({ name: ' MSTAR 17° ', report: importReport(), preprocess });
    expect(ds).toEqual({
      id: 1,
      name: 'MSTAR 17°',
      sourceRoot: '/data/mstar',
      layout: 'class',
      classes: CLASSES,
      preprocess,
      splitCounts: { train: 6, val: 3, test: 3 },
      classCounts: { train: [2, 2, 2], val: [1, 1, 1], test: [1, 1, 1] },
      contentHash: 'a'.repeat(64),
      skipped: [{ path: '/data/mstar/BMP2/broken.jpeg', reason: 'not a JPEG' }],
      createdAt: 1_000_000,
    });
    expect(h.datasets.list()).toEqual([ds]);
    expect(h.datasets.findByHash('a'.repeat(64))).toEqual([ds]);
    expect(h.datasets.findByHash('b'.repeat(64))).toEqual([]);
    expect(h.datasets.rename(ds.id, 'renamed').name).toBe('renamed');
    expect(h.datasets.get(42)).toBeUndefined();
  });

  it('refuses bad imports without writing anything', () => {
    const dup = sampleRecords();
    dup[1] = { ...dup[1], key: dup[0].key };
    expect(() => h.datasets.create({ name: 'x', report: importReport(dup), preprocess })).toThrow(
      `duplicate sample key '${dup[0].key}'`,
    );
    const badLabel = sampleRecords();
    badLabel[2] = { ...badLabel[2], label: 3 };
    expect(() => h.datasets.create({ name: 'x', report: importReport(badLabel), preprocess })).toThrow(
      `sample '${badLabel[2].key}' has label 3 outside 0..2`,
    );
    const mismatch = sampleRecords();
    mismatch[0] = { ...mismatch[0], className: 'T72' };
    expect(() => h.datasets.create({ name: 'x', report: importReport(mismatch), preprocess })).toThrow(
      "has class 'T72' but label 0 is 'BMP2'",
    );
    expect(() => h.datasets.create({ name: '  ', report: importReport(), preprocess })).toThrow(
      'dataset name must be a non-empty string',
    );
    expect(h.datasets.list()).toEqual([]);
  });

  it('computes class counts per split and the size histograms', () => {
    const ds = h.datasets.create({ name: 'd', report: importReport(), preprocess });
    expect(h.datasets.stats(ds.id)).toEqual({
      datasetId: ds.id,
      classes: CLASSES,
      classCounts: { train: [2, 2, 2], val: [1, 1, 1], test: [1, 1, 1] },
      splitCounts: { train: 6, val: 3, test: 3 },
      sizes: [
        { width: 128, height: 128, count: 5 },
        { width: 193, height: 192, count: 4 },
        { width: 158, height: 158, count: 3 },
      ],
      sizesByClass: [
        { label: 0, width: 128, height: 128, count: 4 },
        { label: 1, width: 128, height: 128, count: 1 },
        { label: 1, width: 158, height: 158, count: 3 },
        { label: 2, width: 193, height: 192, count: 4 },
      ],
    });
    expect(() => h.datasets.stats(7)).toThrow('dataset 7 not found');
  });

  it('pages samples filtered by class and split, in import order', () => {
    const ds = h.datasets.create({ name: 'd', report: importReport(), preprocess });
    const keys = (p: { items: Array<{ key: string }> }) => p.items.map((s) => s.key);
    const t72 = h.datasets.samples(ds.id, { label: 1 });
    expect(t72.total).toBe(4);
    expect(keys(t72)).toEqual(['T72/chip01.jpeg', 'T72/chip04.jpeg', 'T72/chip07.jpeg', 'T72/chip10.jpeg']);
    const trainPage2 = h.datasets.samples(ds.id, { split: 'train', limit: 4, offset: 4 });
    expect({ total: trainPage2.total, limit: trainPage2.limit, offset: trainPage2.offset }).toEqual({ total: 6, limit: 4, offset: 4 });
    expect(keys(trainPage2)).toEqual(['T72/chip04.jpeg', 'ZSU/chip05.jpeg']);
    expect(keys(h.datasets.samples(ds.id, { split: 'test', label: 2 }))).toEqual(['ZSU/chip11.jpeg']);
    expect(h.datasets.samples(ds.id, { split: 'val', label: 0, limit: 1 }).items[0]).toEqual({
      id: 7,
      datasetId: ds.id,
      key: 'BMP2/chip06.jpeg',
      path: '/data/mstar/BMP2/chip06.jpeg',
      className: 'BMP2',
      label: 0,
      split: 'val',
      width: 128,
      height: 128,
      channels: 1,
      format: 'jpeg',
      group: null,
      geo: null,
    });
    expect(h.datasets.sample(ds.id, 'BMP2/chip00.jpeg')).toMatchObject({ group: 'scene-1', geo: { lat: 35.5, lon: -106.25 } });
    expect(() => h.datasets.samples(ds.id, { limit: 0 })).toThrow('page limit must be an integer in 1..1000, got 0');
    expect(() => h.datasets.samples(ds.id, { offset: -1 })).toThrow('page offset must be a non-negative integer, got -1');
  });

  it('refuses to delete a dataset that runs use, unless cascade; cascade returns their files', () => {
    const ds = h.datasets.create({ name: 'd', report: importReport(), preprocess });
    const run = h.runs.create({ datasetId: ds.id, name: 'r', config: trainConfig() });
    h.artifacts.addModel(run.id, { kind: 'student', dir: '/models/r1/student', sha256: '1'.repeat(64) });
    h.artifacts.addCheckpoint(run.id, { phase: 'student', epoch: 3, path: '/ckpt/r1-3', sha256: '2'.repeat(64) });
    expect(() => h.datasets.delete(ds.id)).toThrow(
      `dataset ${ds.id} is used by 1 run(s); delete them first or pass cascade: true`,
    );
    expect(h.datasets.get(ds.id)).toEqual(ds);
    expect(h.runs.get(run.id)?.id).toBe(run.id);
    expect(h.datasets.delete(ds.id, { cascade: true })).toEqual({ files: ['/models/r1/student', '/ckpt/r1-3'], classificationsDeleted: 0 });
    expect(h.datasets.get(ds.id)).toBeUndefined();
    expect(h.runs.get(run.id)).toBeUndefined();
    expect(h.datasets.sample(ds.id, 'BMP2/chip00.jpeg')).toBeUndefined();
    expect(() => h.datasets.delete(ds.id)).toThrow(`dataset ${ds.id} not found`);
  });

  it('deletes an unused dataset with its samples', () => {
    const ds = h.datasets.create({ name: 'd', report: importReport(), preprocess });
    expect(h.datasets.delete(ds.id)).toEqual({ files: [], classificationsDeleted: 0 });
    const other = h.datasets.create({ name: 'e', report: importReport(), preprocess });
    expect(h.datasets.samples(other.id).total).toBe(12);
    expect(h.datasets.sample(ds.id, 'BMP2/chip00.jpeg')).toBeUndefined();
    expect(h.integrityCheck()).toEqual(['ok']);
  });
});
