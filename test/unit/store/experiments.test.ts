import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory, type History } from '../../../main/store/db.js';
import { importReport, steppingClock, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let h: History;
let datasetId: number;
const spec = { config: { epochs: 3 }, methods: ['ce', 'aurakd'], seeds: [1, 2], taus: [2, 4], tauSeeds: [1] };

beforeEach(() => {
  tmp = tempDir();
  h = openHistory(path.join(tmp.dir, 'history.sqlite'), { now: steppingClock() });
  datasetId = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess }).id;
});
afterEach(() => {
  h.close();
  tmp.cleanup();
});

describe('experiments repository', () => {
  it('stores an experiment with its spec and the role of each run; one run may hold two roles', () => {
    const e = h.experiments.create({ datasetId, name: ' CE vs AURA-KD ', spec });
    expect(e).toEqual({ id: 1, datasetId, name: 'CE vs AURA-KD', spec, createdAt: 1_001_000 });
    const ce = h.runs.create({ datasetId, name: 'ce', config: trainConfig('ce') });
    const aura = h.runs.create({ datasetId, name: 'aura', config: trainConfig('aurakd'), parentRunId: ce.id });
    h.experiments.addRun(e.id, { runId: ce.id, role: 'method', method: 'ce', seed: 1, tau: 4 });
    h.experiments.addRun(e.id, { runId: ce.id, role: 'teacher', method: 'ce', seed: 1, tau: 4 });
    h.experiments.addRun(e.id, { runId: aura.id, role: 'method', method: 'aurakd', seed: 1, tau: 4 });
    h.experiments.addRun(e.id, { runId: aura.id, role: 'tau', method: 'aurakd', seed: 1, tau: 4 });
    expect(h.experiments.runs(e.id).map((r) => `${r.runId}:${r.role}`)).toEqual(['1:method', '1:teacher', '2:method', '2:tau']);
    expect(() => h.experiments.addRun(e.id, { runId: aura.id, role: 'tau', method: 'aurakd', seed: 1, tau: 4 })).toThrow(/UNIQUE/);
    expect(() => h.experiments.addRun(e.id, { runId: aura.id, role: 'x' as never, method: 'aurakd', seed: 1, tau: 4 })).toThrow(/CHECK/);
    expect(() => h.experiments.create({ datasetId, name: '  ', spec })).toThrow('experiment name must be 1..200 characters');
  });

  it('lists newest first, per dataset; a deleted run leaves the experiment, a deleted experiment leaves its runs', () => {
    const a = h.experiments.create({ datasetId, name: 'a', spec });
    const b = h.experiments.create({ datasetId, name: 'b', spec });
    const other = h.datasets.create({ name: 'Ships', report: importReport(), preprocess: trainConfig().preprocess }).id;
    const c = h.experiments.create({ datasetId: other, name: 'c', spec });
    expect(h.experiments.list().map((e) => e.name)).toEqual(['c', 'b', 'a']);
    expect(h.experiments.list(datasetId).map((e) => e.id)).toEqual([b.id, a.id]);
    const run = h.runs.create({ datasetId, name: 'r', config: trainConfig('ce') });
    h.experiments.addRun(a.id, { runId: run.id, role: 'method', method: 'ce', seed: 1, tau: 4 });
    h.runs.delete(run.id);
    expect(h.experiments.runs(a.id)).toEqual([]);
    expect(h.experiments.get(a.id)?.name).toBe('a');
    const kept = h.runs.create({ datasetId, name: 'kept', config: trainConfig('ce') });
    h.experiments.addRun(b.id, { runId: kept.id, role: 'method', method: 'ce', seed: 1, tau: 4 });
    expect(h.experiments.delete(b.id)).toBe(true);
    expect(h.experiments.delete(b.id)).toBe(false);
    expect(h.runs.get(kept.id)?.name).toBe('kept');
    h.datasets.delete(other, { cascade: true });
    expect(h.experiments.get(c.id)).toBeUndefined();
    expect(h.integrityCheck()).toEqual(['ok']);
  });
});
