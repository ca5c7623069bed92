import path from 'node:path';
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
    expect(teacher).toEqual({ id: 1, runId, kind: 'teacher', dir: '/m/teacher', sha256: sha('a'), createdAt: 1_002_000 });
    expect(h.artifacts.models(runId).map((m) => m.id)).toEqual([teacher.id, s1.id, s2.id]);
    expect(h.artifacts.latestModel(runId, 'student')).toEqual(s2);
    expect(h.artifacts.latestModel(runId, 'online')).toBeNull();
    expect(h.artifacts.getModel(s1.id)).toEqual(s1);
    expect(h.artifacts.deleteModel(s2.id)).toBe('/m/student-2');
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
