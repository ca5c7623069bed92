import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../../main/store/db.js';
import { canTransition, RUN_TRANSITIONS } from '../../../main/store/run-status.js';
import { RUN_STATUSES, type RunQuery, type RunStatus } from '../../../main/store/types.js';
import { chip, epoch, evaluation, importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let file: string;
let datasetId: number;
beforeEach(() => {
  tmp = tempDir();
  file = path.join(tmp.dir, 'history.sqlite');
  h = openHistory(file, { now: steppingClock() });
  datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

describe('runs: create and life cycle', () => {
  it('creates a queued run from a config', () => {
    const config = trainConfig('aurakd', { seed: 7 });
    const run = h.runs.create({ datasetId, name: ' aura ', config, note: 'first try', tags: ['b', ' a ', 'b'], sweepId: 'sw1' });
    expect(run).toEqual({
      id: 1, datasetId, datasetName: 'MSTAR', name: 'aura', method: 'aurakd', student: 'sarnet', teacher: 'resnet18',
      config, seed: 7, backend: null, status: 'queued', createdAt: 1_001_000, startedAt: null, endedAt: null,
      error: null, bestEpoch: null, valAccuracy: null, testAccuracy: null, balancedAccuracy: null, macroF1: null,
      ece: null, durationSec: null, note: 'first try', parentRunId: null, sweepId: 'sw1', teacherModelId: null, tags: ['a', 'b'],
    });
    expect(h.runs.create({ datasetId, name: 'ce', config: trainConfig('ce') }).teacher).toBeNull();
    expect(h.runs.create({ datasetId, name: 'self', config: trainConfig('selfkd') }).teacher).toBeNull();
    expect(h.runs.create({ datasetId, name: 'kd', config: trainConfig('kd'), parentRunId: 1 }).parentRunId).toBe(1);
    const model = h.artifacts.addModel(1, { kind: 'student', dir: '/m/student', sha256: 'a'.repeat(64) });
    expect(h.runs.create({ datasetId, name: 'from model', config: trainConfig('aurakd'), teacherModelId: model.id }).teacherModelId).toBe(model.id);
  });

  it('reads a run recorded before an option existed with that option at its default', () => {
    const id = h.runs.create({ datasetId, name: 'old', config: trainConfig('aurakd', { seed: 3 }) }).id;
    // As an earlier version stored it: no distill.offlinePrior, no augment.speckleLooks.
    const stored = JSON.parse(JSON.stringify(trainConfig('aurakd', { seed: 3 })));
    delete stored.distill.offlinePrior;
    delete stored.augment.speckleLooks;
    const raw = new Database(file);
    raw.prepare('UPDATE runs SET config = ? WHERE id = ?').run(JSON.stringify(stored), id);
    raw.close();
    const run = h.runs.get(id);
    expect(run?.config.distill.offlinePrior).toBe(0);
    expect(run?.config.augment.speckleLooks).toBe(0);
    expect(run?.config).toEqual(trainConfig('aurakd', { seed: 3 }));
  });

  it('refuses bad input with one-line errors', () => {
    expect(() => h.runs.create({ datasetId: 99, name: 'x', config: trainConfig() })).toThrow('dataset 99 not found');
    expect(() => h.runs.create({ datasetId, name: '', config: trainConfig() })).toThrow('run name must be a non-empty string');
    expect(() => h.runs.create({ datasetId, name: 'x', config: { ...trainConfig(), method: 'magic' as never } })).toThrow(
      "unknown method 'magic'",
    );
    expect(() => h.runs.create({ datasetId, name: 'x', config: trainConfig(), parentRunId: 5 })).toThrow('parent run 5 not found');
    expect(() => h.runs.create({ datasetId, name: 'x', config: trainConfig(), tags: [''] })).toThrow('tag must be 1..64 characters');
    expect(() => h.runs.create({ datasetId, name: 'x', config: trainConfig('kd'), teacherModelId: 9 })).toThrow('teacher model 9 not found');
    expect(() => h.runs.create({ datasetId, name: 'x', config: trainConfig('ce'), teacherModelId: 9 })).toThrow('a ce run has no offline teacher (teacher model 9)');
    expect(h.runs.list().total).toBe(0);
  });

  it('allows exactly the documented transitions', () => {
    const allowed = new Set(['queued>running', 'queued>cancelled', 'queued>failed', 'running>done', 'running>failed',
      'running>cancelled', 'running>interrupted', 'interrupted>queued', 'cancelled>queued']);
    for (const from of RUN_STATUSES) {
      for (const to of RUN_STATUSES) expect(canTransition(from, to), `${from}>${to}`).toBe(allowed.has(`${from}>${to}`));
    }
    expect(Object.keys(RUN_TRANSITIONS).sort()).toEqual([...RUN_STATUSES].sort());
  });

  it('moves through start, finish and resume with timestamps', () => {
    const id = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id; // t = 1,001,000
    expect(() => h.runs.finish(id)).toThrow(`run ${id} cannot go from 'queued' to 'done'`);
    // the refused finish read the clock once (1,002,000)
    const started = h.runs.start(id, { backend: 'wasm' }); // 1,003,000
    expect([started.status, started.backend, started.startedAt]).toEqual(['running', 'wasm', 1_003_000]);
    const interrupted = h.runs.interrupt(id); // 1,004,000
    expect([interrupted.status, interrupted.endedAt]).toEqual(['interrupted', 1_004_000]);
    expect(() => h.runs.start(id, { backend: 'cpu' })).toThrow(`run ${id} cannot go from 'interrupted' to 'running'`); // 1,005,000
    const requeued = h.runs.requeue(id); // waits for its resumed job, cancellable again
    expect([requeued.status, requeued.startedAt, requeued.endedAt]).toEqual(['queued', 1_003_000, null]);
    const resumed = h.runs.start(id, { backend: 'cpu' }); // 1,006,000, but keeps the first start
    expect([resumed.status, resumed.backend, resumed.startedAt, resumed.endedAt]).toEqual(['running', 'cpu', 1_003_000, null]);
    const done = h.runs.finish(id, { bestEpoch: 4, valAccuracy: 0.875 }); // 1,007,000
    expect([done.status, done.endedAt, done.bestEpoch, done.valAccuracy, done.durationSec]).toEqual(['done', 1_007_000, 4, 0.875, 4]);
    expect(() => h.runs.start(id, { backend: 'wasm' })).toThrow(`run ${id} cannot go from 'done' to 'running'`);
    expect(() => h.runs.cancel(id)).toThrow(`run ${id} cannot go from 'done' to 'cancelled'`);

    const f = h.runs.create({ datasetId, name: 'f', config: trainConfig() }).id;
    h.runs.start(f, { backend: 'wasm' });
    expect(h.runs.fail(f, 'out of memory')).toMatchObject({ status: 'failed', error: 'out of memory' });
    expect(() => h.runs.start(f, { backend: 'wasm' })).toThrow(`run ${f} cannot go from 'failed' to 'running'`);

    const c = h.runs.create({ datasetId, name: 'c', config: trainConfig() }).id;
    expect(h.runs.cancel(c).status).toBe('cancelled');
    expect(h.runs.requeue(c).status).toBe('queued');
    expect(h.runs.start(c, { backend: 'tensorflow' }).status).toBe('running');
    expect(h.runs.finish(c, { durationSec: 12.5 }).durationSec).toBe(12.5);
    expect(() => h.runs.start(999, { backend: 'wasm' })).toThrow('run 999 not found');
  });

  it('marks every running run interrupted at startup', () => {
    const ids = ['a', 'b', 'c', 'd'].map((name) => h.runs.create({ datasetId, name, config: trainConfig() }).id);
    h.runs.start(ids[0], { backend: 'wasm' });
    h.runs.start(ids[2], { backend: 'wasm' });
    h.runs.start(ids[3], { backend: 'wasm' });
    h.runs.finish(ids[3]);
    h.close();
    h = openHistory(file, { now: steppingClock(5_000_000) });
    expect(h.markInterruptedRuns()).toEqual([ids[0], ids[2]]);
    const statuses = ids.map((id) => h.runs.get(id)?.status);
    expect(statuses).toEqual<(RunStatus | undefined)[]>(['interrupted', 'queued', 'interrupted', 'done']);
    expect(h.markInterruptedRuns()).toEqual([]);
  });

  it('cancels the runs a dead process still had queued, so they can be resumed; leaves a live owner\'s queue alone', () => {
    const ids = ['dead queue', 'live queue', 'no owner'].map((name) => h.runs.create({ datasetId, name, config: trainConfig() }).id);
    h.runs.claim(ids[0], 111);
    h.runs.claim(ids[1], 222);
    expect(h.markInterruptedRuns((pid) => pid === 222)).toEqual([]);
    expect(ids.map((id) => h.runs.get(id)?.status)).toEqual(['cancelled', 'queued', 'queued']);
    expect(h.runs.get(ids[0])?.endedAt).not.toBeNull();
    expect(h.runs.requeue(ids[0]).status).toBe('queued');
  });

  it('leaves the running runs of a live owner process alone', () => {
    const ids = ['mine', 'theirs', 'legacy'].map((name) => h.runs.create({ datasetId, name, config: trainConfig() }).id);
    h.runs.claim(ids[0], 111);
    h.runs.claim(ids[1], 222);
    ids.forEach((id) => h.runs.start(id, { backend: 'wasm' }));
    expect(() => h.runs.claim(999, 1)).toThrow('run 999 not found');
    expect(h.markInterruptedRuns((pid) => pid === 222)).toEqual([ids[0], ids[2]]);
    expect(ids.map((id) => h.runs.get(id)?.status)).toEqual(['interrupted', 'running', 'interrupted']);
  });
});

describe('runs: listing', () => {
  // id, method, status, tags, valAcc, testAcc, note
  const spec = [
    ['alpha ce', 'ce', 'done', ['baseline'], 0.8, 0.75, ''],
    ['beta kd', 'kd', 'done', ['baseline', 'paper'], 0.9, 0.85, 'teacher resnet50'],
    ['gamma aura', 'aurakd', 'done', ['paper'], 0.95, null, '100% sure'],
    ['delta aura', 'aurakd', 'failed', [], null, null, ''],
    ['epsilon self', 'selfkd', 'queued', ['paper'], null, 0.7, 'check later'],
  ] as const;
  let ids: number[];
  let other: number;
  beforeEach(() => {
    ids = spec.map(([name, method, status, tags, val, test, note]) => {
      const id = h.runs.create({ datasetId, name, config: trainConfig(method), tags: [...tags], note }).id;
      if (status !== 'queued') h.runs.start(id, { backend: 'wasm' });
      if (status === 'done') h.runs.finish(id);
      if (status === 'failed') h.runs.fail(id, 'boom');
      h.runs.updateSummary(id, { valAccuracy: val, testAccuracy: test });
      return id;
    });
    const ds2 = h.datasets.create({ name: 'ship', report: importReport(), preprocess: trainConfig().preprocess }).id;
    other = h.runs.create({ datasetId: ds2, name: 'ship run', config: trainConfig('ce'), tags: ['baseline'] }).id;
  });
  const listIds = (q: RunQuery) => h.runs.list(q).items.map((r) => r.id);

  it('filters by dataset, method, status, tag and text', () => {
    expect(listIds({ datasetId })).toEqual([ids[4], ids[3], ids[2], ids[1], ids[0]]);
    expect(listIds({ datasetId, method: 'aurakd' })).toEqual([ids[3], ids[2]]);
    expect(listIds({ method: ['ce', 'kd'] })).toEqual([other, ids[1], ids[0]]);
    expect(listIds({ status: 'done', order: 'asc' })).toEqual([ids[0], ids[1], ids[2]]);
    expect(listIds({ status: ['failed', 'queued'] })).toEqual([other, ids[4], ids[3]]);
    expect(listIds({ tag: 'baseline' })).toEqual([other, ids[1], ids[0]]);
    expect(listIds({ tag: 'paper', method: 'aurakd' })).toEqual([ids[2]]);
    expect(listIds({ search: 'AURA' })).toEqual([ids[3], ids[2]]);
    expect(listIds({ search: 'resnet' })).toEqual([ids[1]]);
    expect(listIds({ search: '100%' })).toEqual([ids[2]]);
    expect(listIds({ search: '%' })).toEqual([ids[2]]);
    expect(listIds({ search: '_' })).toEqual([]);
    expect(listIds({ tag: 'nope' })).toEqual([]);
    expect(() => h.runs.list({ method: 'bogus' as never })).toThrow("unknown method 'bogus'");
  });

  it('sorts by any summary metric with NULLs last, and pages', () => {
    expect(listIds({ datasetId, sortBy: 'valAccuracy' })).toEqual([ids[2], ids[1], ids[0], ids[4], ids[3]]);
    expect(listIds({ datasetId, sortBy: 'valAccuracy', order: 'asc' })).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4]]);
    expect(listIds({ datasetId, sortBy: 'testAccuracy' })).toEqual([ids[1], ids[0], ids[4], ids[3], ids[2]]);
    expect(listIds({ datasetId, sortBy: 'name', order: 'asc' })).toEqual([ids[0], ids[1], ids[3], ids[4], ids[2]]);
    expect(listIds({ datasetId, sortBy: 'endedAt', order: 'asc' })).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4]]);
    const p = h.runs.list({ datasetId, sortBy: 'valAccuracy', limit: 2, offset: 2 });
    expect([p.total, p.limit, p.offset, p.items.map((r) => r.id)]).toEqual([5, 2, 2, [ids[0], ids[4]]]);
    expect(h.runs.list({ limit: 2, offset: 10 }).items).toEqual([]);
    expect(() => h.runs.list({ sortBy: 'loss' as never })).toThrow("unknown sort key 'loss'");
  });

  it('filters by sweep and parent', () => {
    const child = h.runs.create({ datasetId, name: 'retrain', config: trainConfig(), parentRunId: ids[1], sweepId: 's9' }).id;
    expect(listIds({ parentRunId: ids[1] })).toEqual([child]);
    expect(listIds({ sweepId: 's9' })).toEqual([child]);
  });
});

describe('runs: annotations and deletion', () => {
  it('keeps tags and notes', () => {
    const id = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id;
    const id2 = h.runs.create({ datasetId, name: 's', config: trainConfig(), tags: ['x'] }).id;
    expect(h.annotations.addTag(id, 'paper')).toEqual(['paper']);
    expect(h.annotations.addTag(id, 'best')).toEqual(['best', 'paper']);
    expect(h.annotations.addTag(id, 'best')).toEqual(['best', 'paper']);
    expect(h.annotations.removeTag(id, 'paper')).toEqual(['best']);
    expect(h.annotations.setTags(id2, ['x', 'best', 'x'])).toEqual(['best', 'x']);
    expect(h.annotations.allTags()).toEqual([{ tag: 'best', count: 2 }, { tag: 'x', count: 1 }]);
    h.annotations.setNote(id, 'ZSU confusions look like shadow artefacts');
    expect(h.annotations.getNote(id)).toBe('ZSU confusions look like shadow artefacts');
    expect(h.runs.list({ search: 'shadow' }).items.map((r) => r.id)).toEqual([id]);
    expect(h.runs.rename(id, 'renamed').name).toBe('renamed');
    expect(() => h.annotations.addTag(77, 'x')).toThrow('run 77 not found');
  });

  it('deletes a run with everything under it and returns its files', () => {
    const id = h.runs.create({ datasetId, name: 'r', config: trainConfig(), tags: ['t'] }).id;
    const child = h.runs.create({ datasetId, name: 'child', config: trainConfig(), parentRunId: id }).id;
    h.runs.start(id, { backend: 'wasm' });
    h.metrics.recordMany(id, [epoch('teacher', 1), epoch('student', 1)]);
    h.evaluations.add(id, 'test', evaluation([chip('BMP2/chip09.jpeg', 0, [0.5, 0.25, 0.25])]));
    h.artifacts.addModel(id, { kind: 'student', dir: '/m/student', sha256: 'a'.repeat(64) });
    h.artifacts.addModel(id, { kind: 'teacher', dir: '/m/teacher', sha256: 'b'.repeat(64) });
    h.artifacts.addCheckpoint(id, { phase: 'student', epoch: 1, path: '/c/1', sha256: 'c'.repeat(64) });
    expect(() => h.runs.delete(id)).toThrow(`run ${id} is running; cancel it before deleting`);
    h.runs.cancel(id);
    expect(h.runs.delete(id)).toEqual({ files: ['/m/student', '/m/teacher', '/c/1'], classificationsDeleted: 0 });
    expect(h.runs.get(id)).toBeUndefined();
    expect(h.runs.get(child)?.parentRunId).toBeNull();
    const raw = new Database(file, { readonly: true });
    for (const table of ['epoch_metrics', 'evaluations', 'predictions', 'models', 'checkpoints', 'tags']) {
      expect(raw.prepare(`SELECT count(*) FROM ${table}`).pluck().get(), table).toBe(0);
    }
    raw.close();
    expect(() => h.runs.delete(id)).toThrow(`run ${id} not found`);
  });
});
