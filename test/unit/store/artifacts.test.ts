import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../../main/store/db.js';
import { importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let runId: number;
beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
  const datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
  runId = h.runs.create({ datasetId, name: 'r', config: trainConfig() }).id; // clock: 1,001,000
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

const sha = (c: string) => c.repeat(64);

describe('artifacts', () => {
  it('records models and finds the latest of a kind', () => {
    const teacher = h.artifacts.addModel(runId, { kind: 'teacher', dir: '/m/teacher', sha256: sha('a') });
    const s1 = h.artifacts.addModel(runId, { kind: 'student', dir: '/m/student-1', sha256: sha('b') });
    const s2 = h.artifacts.addModel(runId, { kind: 'student', dir: '/m/student-2', sha256: sha('c') });
    expect(teacher).toEqual({ id: 1, runId, kind: 'teacher', dir: '/m/teacher', sha256: sha('a'), meta: {}, createdAt: 1_002_000 });
    expect(h.artifacts.models(runId).map((m) => m.id)).toEqual([teacher.id, s1.id, s2.id]);
    expect(h.artifacts.latestModel(runId, 'student')).toEqual(s2);
    expect(h.artifacts.latestModel(runId, 'online')).toBeNull();
    expect(h.artifacts.getModel(s1.id)).toEqual(s1);
    expect(h.artifacts.deleteModel(s2.id)).toEqual({ dir: '/m/student-2', classificationsDeleted: 0 });
    expect(h.artifacts.deleteModel(s2.id)).toBeNull();
    expect(h.artifacts.latestModel(runId, 'student')).toEqual(s1);
    expect(() => h.artifacts.addModel(runId, { kind: 'student', dir: '/m/x', sha256: 'xyz' })).toThrow(
      'sha256 must be 64 lowercase hex digits',
    );
    expect(() => h.artifacts.addModel(runId, { kind: 'ensemble' as never, dir: '/m/x', sha256: sha('a') })).toThrow(
      "unknown model kind 'ensemble'",
    );
    expect(() => h.artifacts.addModel(9, { kind: 'student', dir: '/m/x', sha256: sha('a') })).toThrow('run 9 not found');
  });

  it('records checkpoints, replaces one epoch, and resumes from the latest student checkpoint', () => {
    h.artifacts.addCheckpoint(runId, { phase: 'teacher', epoch: 10, path: '/c/t10', sha256: sha('1') });
    expect(h.artifacts.latestCheckpoint(runId)?.path).toBe('/c/t10');
    h.artifacts.addCheckpoint(runId, { phase: 'student', epoch: 1, path: '/c/s1', sha256: sha('2') });
    const first = h.artifacts.addCheckpoint(runId, { phase: 'student', epoch: 2, path: '/c/s2', sha256: sha('3') });
    expect(first.replacedPath).toBeNull();
    const again = h.artifacts.addCheckpoint(runId, { phase: 'student', epoch: 2, path: '/c/s2b', sha256: sha('4') });
    expect(again.replacedPath).toBe('/c/s2');
    expect(again.checkpoint).toMatchObject({ id: first.checkpoint.id, phase: 'student', epoch: 2, path: '/c/s2b', sha256: sha('4') });
    expect(h.artifacts.checkpoints(runId).map((c) => c.path)).toEqual(['/c/t10', '/c/s1', '/c/s2b']);
    expect(h.artifacts.latestCheckpoint(runId)?.path).toBe('/c/s2b');
    expect(h.artifacts.deleteCheckpoint(first.checkpoint.id)).toBe('/c/s2b');
    expect(h.artifacts.latestCheckpoint(runId)?.path).toBe('/c/s1');
    expect(() => h.artifacts.addCheckpoint(runId, { phase: 'student', epoch: -1, path: '/c', sha256: sha('5') })).toThrow(
      'epoch must be a non-negative integer, got -1',
    );
  });

  it('rolls back every write of a failed transaction', () => {
    expect(() =>
      h.transaction(() => {
        h.artifacts.addModel(runId, { kind: 'student', dir: '/m/s', sha256: sha('a') });
        h.annotations.addTag(runId, 'kept?');
        h.artifacts.addCheckpoint(runId, { phase: 'student', epoch: 1.5, path: '/c', sha256: sha('b') });
      }),
    ).toThrow('epoch must be a non-negative integer, got 1.5');
    expect(h.artifacts.models(runId)).toEqual([]);
    expect(h.annotations.tagsOf(runId)).toEqual([]);
  });
});

describe('imported models and the model list', () => {
  const meta = {
    backbone: 'sarnet',
    classes: ['BMP2', 'T72', 'ZSU'],
    inputSize: 64,
    channels: 1,
    method: 'aurakd',
    preprocess: { size: 64, normalize: 'zscore' },
  };

  it('stores an imported model without a run, with its sidecar', () => {
    const imported = h.artifacts.addImportedModel({ dir: '/lib/imported', sha256: sha('b'), meta });
    expect(imported).toEqual({ id: 1, runId: null, kind: 'imported', dir: '/lib/imported', sha256: sha('b'), meta, createdAt: 1_002_000 });
    expect(h.artifacts.getModel(imported.id)).toEqual(imported);
    expect(h.artifacts.models(runId)).toEqual([]);
    expect(h.artifacts.latestModel(runId, 'imported')).toBeNull();
    expect(h.artifacts.deleteModel(imported.id)).toEqual({ dir: '/lib/imported', classificationsDeleted: 0 });
    expect(h.artifacts.getModel(imported.id)).toBeUndefined();
  });

  it('keeps a run model\'s sidecar and refuses bad input', () => {
    const student = h.artifacts.addModel(runId, { kind: 'student', dir: '/m/s', sha256: sha('a'), meta });
    expect(student).toEqual({ id: 1, runId, kind: 'student', dir: '/m/s', sha256: sha('a'), meta, createdAt: 1_002_000 });
    expect(h.artifacts.latestModel(runId, 'student')?.meta).toEqual(meta);
    expect(() => h.artifacts.addModel(runId, { kind: 'imported' as never, dir: '/m/x', sha256: sha('a') })).toThrow(
      'an imported model has no run; use addImportedModel',
    );
    for (const bad of [null, [], 'backbone', new Date(0)]) {
      expect(() => h.artifacts.addImportedModel({ dir: '/lib/x', sha256: sha('c'), meta: bad as never })).toThrow(
        'model meta must be a plain object',
      );
    }
    expect(() => h.artifacts.addImportedModel({ dir: '', sha256: sha('c'), meta })).toThrow('artifact path must be a non-empty string');
    expect(() => h.artifacts.listModels({ kind: 'bogus' as never })).toThrow("unknown model kind 'bogus'");
  });

  it('lists every model newest first with its run name and test accuracy', () => {
    const student = h.artifacts.addModel(runId, { kind: 'student', dir: '/m/s', sha256: sha('a') });
    const imported = h.artifacts.addImportedModel({ dir: '/lib/i', sha256: sha('b'), meta });
    h.runs.updateSummary(runId, { testAccuracy: 0.875 });
    const teacher = h.artifacts.addModel(runId, { kind: 'teacher', dir: '/m/t', sha256: sha('c') });
    expect([student.createdAt, imported.createdAt]).toEqual([1_002_000, 1_003_000]);
    expect(h.artifacts.listModels()).toEqual([
      { ...teacher, runName: 'r', testAccuracy: 0.875 },
      { ...imported, runName: null, testAccuracy: null },
      { ...student, runName: 'r', testAccuracy: 0.875 },
    ]);
    expect(h.artifacts.listModels({ kind: 'imported' })).toEqual([{ ...imported, runName: null, testAccuracy: null }]);
    expect(h.artifacts.listModels({ kind: 'student' }).map((m) => m.id)).toEqual([student.id]);
    expect(h.artifacts.listModels({ kind: 'online' })).toEqual([]);
  });

  it('breaks created-at ties by id, newest first', () => {
    const flat = openHistory(path.join(tmp.dir, 'flat.sqlite'), { now: () => 7 });
    const ids = [1, 2, 3].map((i) => flat.artifacts.addImportedModel({ dir: `/lib/${i}`, sha256: sha('d'), meta: {} }).id);
    expect(flat.artifacts.listModels().map((m) => m.id)).toEqual([...ids].reverse());
    flat.close();
  });

  it('enforces in the schema that exactly the imported models have no run', () => {
    const raw = new Database(h.file);
    const insert = raw.prepare('INSERT INTO models (run_id, kind, dir, sha256, created_at) VALUES (?, ?, ?, ?, 0)');
    expect(() => insert.run(runId, 'imported', '/x', sha('a'))).toThrow('CHECK constraint failed');
    expect(() => insert.run(null, 'student', '/x', sha('a'))).toThrow('CHECK constraint failed');
    expect(() => insert.run(null, 'ensemble', '/x', sha('a'))).toThrow('CHECK constraint failed');
    raw.close();
  });
});
