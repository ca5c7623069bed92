/**
 * A run distils from exactly the saved model it was started with: a model imported from a folder (no run
 * of its own) teaches like the run model it was exported from, the run records the model, and a run whose
 * chosen teacher was deleted before it trained fails with that reason instead of training a teacher itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE } from '../../main/api/service.js';
import { main } from '../../main/cli.js';
import { TINY_CONFIG, startTestApp, waitForJob, type TestApp } from './helpers.js';

let app: TestApp;
let datasetId: number;
const exportDir = mkdtempSync(join(tmpdir(), 'aura-teacher-export-'));

beforeAll(async () => {
  app = await startTestApp();
  datasetId = (await waitForJob(app.service, await app.service.call('datasets.importDemo', { seed: 5, perClass: 12 }))).datasetId!;
}, 120_000);
afterAll(async () => {
  await app?.cleanup();
  rmSync(exportDir, { recursive: true, force: true });
});

/** Test accuracy of a run's offline teacher, from the teacher probabilities stored with each chip. */
function teacherTestAccuracy(runId: number): number {
  const db = new Database(join(app.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const row = db
      .prepare(`SELECT avg(p.offline_correct) AS acc, count(p.offline_correct) AS n FROM predictions p
                JOIN evaluations e ON e.id = p.evaluation_id WHERE e.run_id = ? AND e.split = 'test'`)
      .get(runId) as { acc: number; n: number };
    expect(row.n).toBeGreaterThan(0);
    return row.acc;
  } finally {
    db.close();
  }
}

async function trainCe(): Promise<{ runId: number; modelId: number; testAccuracy: number }> {
  const started = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'ce', epochs: 1 } });
  expect((await waitForJob(app.service, started.job)).status).toBe('done');
  const run = await app.service.call('runs.get', { runId: started.runId });
  return { runId: run.id, modelId: run.models.find((m) => m.kind === 'student')!.id, testAccuracy: run.testAccuracy! };
}

describe('saved teachers', () => {
  it('an imported model is the frozen teacher, exactly as the run model it was exported from', async () => {
    const ce = await trainCe();
    const exported = await app.service.call('models.export', { modelId: ce.modelId, destDir: exportDir });
    const imported = await app.service.call('models.import', { dir: exported.dir });
    expect([imported.kind, imported.runId, imported.intensity, imported.normalise]).toEqual(['imported', null, 'linear', 'chip']);

    const started = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'aurakd', epochs: 1 }, teacherModelId: imported.id });
    expect((await waitForJob(app.service, started.job)).status).toBe('done');
    const run = await app.service.call('runs.get', { runId: started.runId });
    expect([run.teacherModelId, run.parentRunId, run.config.teacher]).toEqual([imported.id, null, 'sarnet']);
    expect(run.epochs.map((e) => e.phase)).toEqual(['student']);
    // The same weights on the same test chips: the teacher the run used scores what the CE run scored.
    expect(teacherTestAccuracy(run.id)).toBeCloseTo(ce.testAccuracy, 12);

    // The CLI says which model taught the run.
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      expect(await main(['runs', 'show', String(run.id), '--data-dir', app.dataDir])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(out.join('')).toContain(`offline teacher: saved model #${imported.id}, frozen as it was`);

    // Retrained, the run keeps that teacher (it trained none of its own to fall back on).
    const retrain = await app.service.call('runs.retrain', { runId: run.id, datasetId });
    const child = await app.service.call('runs.get', { runId: retrain.runId });
    expect([child.teacherModelId, child.parentRunId]).toEqual([imported.id, run.id]);
    expect((await waitForJob(app.service, retrain.job)).status).toBe('done');
    expect(teacherTestAccuracy(child.id)).toBeCloseTo(ce.testAccuracy, 12);
  }, 240_000);

  it('a distilled student can teach too (born-again distillation); a previous-epoch snapshot cannot', async () => {
    const kd = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'kd', epochs: 1 } });
    expect((await waitForJob(app.service, kd.job)).status).toBe('done');
    const student = (await app.service.call('runs.get', { runId: kd.runId })).models.find((m) => m.kind === 'student')!;
    const started = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'kd', epochs: 1 }, teacherModelId: student.id });
    const run = await app.service.call('runs.get', { runId: started.runId });
    expect([run.teacherModelId, run.parentRunId]).toEqual([student.id, kd.runId]);
    expect((await waitForJob(app.service, started.job)).status).toBe('done');

    const db = new Database(join(app.dataDir, DATABASE_FILE), { readonly: true });
    // The AURA-KD runs above kept their previous-epoch students.
    const online = db.prepare(`SELECT id FROM models WHERE kind = 'online' LIMIT 1`).get() as { id: number } | undefined;
    db.close();
    expect(online).toBeDefined();
    const before = (await app.service.call('runs.list', {})).total;
    await expect(app.service.call('runs.start', { datasetId, config: { method: 'kd' }, teacherModelId: online!.id })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringContaining("previous-epoch student snapshot"),
    });
    expect((await app.service.call('runs.list', {})).total).toBe(before);
  }, 240_000);

  it('a run whose chosen teacher is deleted before it trains fails with that reason and trains no teacher', async () => {
    const ce = await trainCe();
    // A run ahead in the queue keeps the next one waiting while the teacher's run is deleted.
    const ahead = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'ce', epochs: 2 } });
    const started = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'kd', epochs: 1 }, teacherModelId: ce.modelId });
    expect((await app.service.call('jobs.list', {})).find((j) => j.runId === started.runId)?.status).toBe('queued');
    expect(await app.service.call('runs.delete', { runId: ce.runId })).toEqual({ deleted: true, classificationsDeleted: 0 });
    expect((await waitForJob(app.service, ahead.job)).status).toBe('done');
    expect((await waitForJob(app.service, started.job)).status).toBe('failed');
    const run = await app.service.call('runs.get', { runId: started.runId });
    expect(run.status).toBe('failed');
    expect(run.error).toContain(`saved teacher model #${ce.modelId} this run distils from has been deleted`);
    expect(run.teacherModelId).toBe(ce.modelId);
    expect(run.epochs).toEqual([]);
  }, 240_000);
});
