import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../../main/store/db.js';
import type { NewClassificationRow } from '../../../main/store/types.js';
import { importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let runId: number;
let modelId: number;
beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
  const datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
  runId = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id; // clock: 1,001,000
  modelId = h.artifacts.addModel(runId, { kind: 'student', dir: '/m/s', sha256: 'a'.repeat(64) }).id; // 1,002,000
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

const CLASSES = ['ship', 'clutter'];
const f32 = (x: number) => Math.fround(x);

const ROWS: NewClassificationRow[] = [
  { key: 'b.tif', path: '/new/b.tif', predicted: 1, probs: [0.3, 0.7], entropy: 0.8813, lat: 43.25, lon: -70.5 },
  { key: 'a.tif', path: '/new/a.tif', predicted: 0, probs: [0.9, 0.1], entropy: 0.469 },
];

describe('classifications', () => {
  it('creates, lists, gets, and moves through its life cycle', () => {
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES }); // 1,003,000
    expect(c).toEqual({
      id: 1, modelId, folder: '/new', classes: CLASSES, status: 'queued', skipped: [], error: null,
      createdAt: 1_003_000, finishedAt: null, rowCount: 0, flaggedCount: 0,
    });
    const other = h.classifications.create({ modelId, folder: '/other', classes: CLASSES }); // 1,004,000
    expect(h.classifications.list().map((x) => x.id)).toEqual([other.id, c.id]);
    expect(h.classifications.get(c.id)).toEqual(c);
    expect(h.classifications.get(99)).toBeUndefined();

    const running = h.classifications.setStatus(c.id, 'running');
    expect(running).toEqual({ ...c, status: 'running' });
    const skipped = [{ path: '/new/broken.tif', reason: 'not a TIFF' }];
    const done = h.classifications.setStatus(c.id, 'done', { skipped }); // 1,005,000
    expect(done).toEqual({ ...c, status: 'done', skipped, finishedAt: 1_005_000 });
    expect(() => h.classifications.setStatus(c.id, 'running')).toThrow(`classification ${c.id} cannot go from 'done' to 'running'`);

    const failed = h.classifications.setStatus(other.id, 'failed', { error: 'model file missing' }); // 1,006,000
    expect(failed).toEqual({ ...other, status: 'failed', error: 'model file missing', finishedAt: 1_006_000 });
    expect(h.classifications.list()).toEqual([failed, done]);
  });

  it('refuses bad input with clear messages', () => {
    expect(() => h.classifications.create({ modelId: 42, folder: '/new', classes: CLASSES })).toThrow('model 42 not found');
    expect(() => h.classifications.create({ modelId, folder: '', classes: CLASSES })).toThrow('folder must be a non-empty string');
    expect(() => h.classifications.create({ modelId, folder: '/new', classes: [] })).toThrow(
      'classes must be a non-empty array of non-empty strings',
    );
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    expect(() => h.classifications.setStatus(c.id, 'failed')).toThrow('error of a failed classification must be a non-empty string');
    expect(() => h.classifications.setStatus(c.id, 'running', { error: 'x' })).toThrow(
      "an error message goes only with status 'failed' or 'cancelled', not 'running'",
    );
    expect(() => h.classifications.setStatus(c.id, 'paused' as never)).toThrow("unknown classification status 'paused'");
    expect(() => h.classifications.setStatus(c.id, 'done')).toThrow(`classification ${c.id} cannot go from 'queued' to 'done'`);
    expect(() => h.classifications.setStatus(c.id, 'running', { skipped: [{ path: '/x' }] as never })).toThrow(
      'skipped must be an array of { path, reason } strings',
    );
    expect(() => h.classifications.setStatus(77, 'running')).toThrow('classification 77 not found');
    expect(h.classifications.get(c.id)?.status).toBe('queued');
  });

  it('adds rows in one transaction with confidence = max prob, reads them by key, and flags one', () => {
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    h.classifications.setStatus(c.id, 'running');
    expect(h.classifications.addRows(c.id, ROWS)).toBe(2);
    const rows = h.classifications.rows(c.id);
    expect(rows).toEqual([
      { classificationId: c.id, key: 'a.tif', path: '/new/a.tif', predicted: 0, probs: [f32(0.9), f32(0.1)], confidence: 0.9,
        entropy: 0.469, flagged: false, lat: null, lon: null },
      { classificationId: c.id, key: 'b.tif', path: '/new/b.tif', predicted: 1, probs: [f32(0.3), f32(0.7)], confidence: 0.7,
        entropy: 0.8813, flagged: false, lat: 43.25, lon: -70.5 },
    ]);
    const flagged = h.classifications.setFlag(c.id, 'b.tif', true);
    expect(flagged).toEqual({ ...rows[1], flagged: true });
    expect(h.classifications.get(c.id)).toMatchObject({ rowCount: 2, flaggedCount: 1 });
    expect(h.classifications.setFlag(c.id, 'b.tif', false)).toEqual(rows[1]);
    expect(h.classifications.get(c.id)).toMatchObject({ rowCount: 2, flaggedCount: 0 });
    expect(h.classifications.addRows(c.id, [])).toBe(0);
  });

  it('rejects a bad batch as a whole', () => {
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    const good = ROWS[0];
    const cases: Array<[Partial<NewClassificationRow>, string]> = [
      [{ predicted: 2 }, "predicted class of row 'b.tif' must be an integer in 0..1, got 2"],
      [{ probs: [1] }, "probs of row 'b.tif' must be 2 numbers in 0..1"],
      [{ probs: [Number.NaN, 0.5] }, "probs of row 'b.tif' must be 2 numbers in 0..1"],
      [{ entropy: -1 }, "entropy of row 'b.tif' must be a non-negative number"],
      [{ lat: 91 }, "lat of row 'b.tif' must be a number in -90..90, got 91"],
      [{ lon: -180.5 }, "lon of row 'b.tif' must be a number in -180..180, got -180.5"],
      [{ path: '' }, "path of row 'b.tif' must be a non-empty string"],
      [{ key: '' }, 'row key must be a non-empty string'],
    ];
    for (const [patch, message] of cases) {
      expect(() => h.classifications.addRows(c.id, [ROWS[1], { ...good, ...patch }])).toThrow(message);
    }
    expect(() => h.classifications.addRows(c.id, [ROWS[1], ROWS[1]])).toThrow(`classification ${c.id} already has a row for key 'a.tif'`);
    expect(h.classifications.rows(c.id)).toEqual([]);
    h.classifications.addRows(c.id, [ROWS[1]]);
    expect(() => h.classifications.addRows(c.id, ROWS)).toThrow(`classification ${c.id} already has a row for key 'a.tif'`);
    expect(h.classifications.rows(c.id).map((r) => r.key)).toEqual(['a.tif']);
    expect(() => h.classifications.addRows(99, ROWS)).toThrow('classification 99 not found');
    const cancelled = h.classifications.setStatus(c.id, 'cancelled', { error: 'Cancelled' });
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'Cancelled', finishedAt: expect.any(Number), rowCount: 1 });
    expect(() => h.classifications.addRows(c.id, [ROWS[0]])).toThrow(`classification ${c.id} is cancelled; rows can no longer be added`);
  });

  it('errors when flagging a row that does not exist', () => {
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    h.classifications.addRows(c.id, ROWS);
    expect(() => h.classifications.setFlag(c.id, 'missing.tif', true)).toThrow(`classification ${c.id} has no row for key 'missing.tif'`);
    expect(() => h.classifications.setFlag(99, 'a.tif', true)).toThrow('classification 99 not found');
    expect(() => h.classifications.setFlag(c.id, 'a.tif', 1 as never)).toThrow('flagged must be a boolean');
    expect(() => h.classifications.rows(99)).toThrow('classification 99 not found');
  });

  it('deletes a classification with its rows, refusing a running one', () => {
    const c = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    h.classifications.setStatus(c.id, 'running');
    h.classifications.addRows(c.id, ROWS);
    expect(() => h.classifications.delete(c.id)).toThrow(`classification ${c.id} is running; cancel it before deleting`);
    h.classifications.setStatus(c.id, 'cancelled');
    expect(h.classifications.delete(c.id)).toBe(true);
    expect(h.classifications.delete(c.id)).toBe(false);
    expect(h.classifications.get(c.id)).toBeUndefined();
    expect(rowCount()).toBe(0);
  });

  it('marks queued and running classifications failed as interrupted, and leaves the rest', () => {
    const queued = h.classifications.create({ modelId, folder: '/q', classes: CLASSES });
    const running = h.classifications.create({ modelId, folder: '/r', classes: CLASSES });
    const done = h.classifications.create({ modelId, folder: '/d', classes: CLASSES });
    h.classifications.setStatus(running.id, 'running');
    h.classifications.setStatus(done.id, 'running');
    h.classifications.setStatus(done.id, 'done');
    const before = h.classifications.get(done.id);
    expect(h.markInterruptedClassifications()).toEqual([queued.id, running.id]);
    expect(h.classifications.get(queued.id)).toMatchObject({ status: 'failed', error: 'interrupted', finishedAt: expect.any(Number) });
    expect(h.classifications.get(running.id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(h.classifications.get(done.id)).toEqual(before);
    expect(h.markInterruptedClassifications()).toEqual([]);
    expect(h.markInterruptedRuns()).toEqual([]);
  });

  it('leaves the classifications of a live owner process alone', () => {
    const live = h.classifications.create({ modelId, folder: '/live', classes: CLASSES });
    const dead = h.classifications.create({ modelId, folder: '/dead', classes: CLASSES });
    h.classifications.claim(live.id, 4242);
    h.classifications.claim(dead.id, 4343);
    expect(() => h.classifications.claim(999, 1)).toThrow('classification 999 not found');
    expect(h.markInterruptedClassifications((pid) => pid === 4242)).toEqual([dead.id]);
    expect(h.classifications.get(live.id)?.status).toBe('queued');
  });

  it('is marked interrupted by markInterruptedRuns too, together with the runs', () => {
    const queued = h.classifications.create({ modelId, folder: '/q', classes: CLASSES });
    h.runs.start(runId, { backend: 'cpu' });
    expect(h.markInterruptedRuns()).toEqual([runId]);
    expect(h.runs.get(runId)?.status).toBe('interrupted');
    expect(h.classifications.get(queued.id)).toMatchObject({ status: 'failed', error: 'interrupted' });
  });

  it('goes with its model or the model\'s run only when cascade is asked for; never while it runs', () => {
    const ofRun = h.classifications.create({ modelId, folder: '/new', classes: CLASSES });
    h.classifications.addRows(ofRun.id, ROWS);
    const imported = h.artifacts.addImportedModel({ dir: '/lib/i', sha256: 'b'.repeat(64), meta: { classes: CLASSES } });
    const ofImported = h.classifications.create({ modelId: imported.id, folder: '/new', classes: CLASSES });
    h.classifications.addRows(ofImported.id, [ROWS[0]]);

    // Queued (or running): refused even with cascade, nothing deleted.
    expect(() => h.runs.delete(runId, { cascade: true })).toThrow(`run ${runId}: classification ${ofRun.id} is queued with its model; cancel it before deleting`);
    h.classifications.setStatus(ofRun.id, 'running');
    h.classifications.setStatus(ofRun.id, 'done');
    // Finished: refused without cascade, naming them; the run, its model and the rows stay.
    expect(() => h.runs.delete(runId)).toThrow(
      `run ${runId}: refused, 1 classification(s) were made with its model (#${ofRun.id}) and would be deleted with it; ask for cascade (CLI: --cascade) to delete them too`,
    );
    expect(h.runs.get(runId)).toBeDefined();
    expect(h.classifications.get(ofRun.id)?.status).toBe('done');
    expect(rowCount()).toBe(3);

    expect(h.runs.delete(runId, { cascade: true })).toEqual({ files: ['/m/s'], classificationsDeleted: 1 });
    expect(h.classifications.get(ofRun.id)).toBeUndefined();
    expect(h.classifications.list().map((c) => c.id)).toEqual([ofImported.id]);
    expect(h.artifacts.listModels().map((m) => m.id)).toEqual([imported.id]);
    expect(rowCount()).toBe(1);

    h.classifications.setStatus(ofImported.id, 'cancelled');
    expect(() => h.artifacts.deleteModel(imported.id)).toThrow(/^model \d+: refused, 1 classification\(s\)/);
    expect(h.artifacts.deleteModel(imported.id, { cascade: true })).toEqual({ dir: '/lib/i', classificationsDeleted: 1 });
    expect(h.classifications.list()).toEqual([]);
    expect(rowCount()).toBe(0);
  });

  it('keeps a model that a queued or running run distils from', () => {
    const imported = h.artifacts.addImportedModel({ dir: '/lib/t', sha256: 'c'.repeat(64), meta: { classes: CLASSES } });
    const datasetId = h.runs.get(runId)!.datasetId;
    const student = h.runs.create({ datasetId, name: 'kd', config: trainConfig('kd'), teacherModelId: imported.id }).id;
    expect(() => h.artifacts.deleteModel(imported.id)).toThrow(`model ${imported.id}: refused, run ${student} is queued or running and distils from it; cancel that run first`);
    h.runs.cancel(student);
    expect(h.artifacts.deleteModel(imported.id)).toEqual({ dir: '/lib/t', classificationsDeleted: 0 });
    expect(h.runs.get(student)?.teacherModelId).toBe(imported.id); // the run still says which model taught it
  });
});

function rowCount(): number {
  const raw = new Database(h.file, { readonly: true });
  const n = raw.prepare('SELECT count(*) FROM classification_rows').pluck().get() as number;
  raw.close();
  return n;
}
