/**
 * A training process that dies mid-run (kill -9) leaves its run 'interrupted', the database
 * consistent and the last checkpoint usable: resume finishes the run. Repeated with random kill
 * moments, on a real child process.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../main/data/random.js';
import { openHistory } from '../../main/store/index.js';
import { TINY_CONFIG, startTestApp, waitForEvent, waitForJob, type TestApp } from './helpers.js';

let app: TestApp;
let datasetId: number;

beforeAll(async () => {
  app = await startTestApp();
  const end = await waitForJob(app.service, await app.service.call('datasets.importDemo', { seed: 5, perClass: 16 }));
  datasetId = end.datasetId!;
}, 120_000);
afterAll(async () => {
  await app?.cleanup();
});

describe('kill -9 during training, then resume', () => {
  it('survives three kills at random moments and finishes with a consistent history', async () => {
    const { runId, job } = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'selfkd', epochs: 6, batchSize: 8 } });
    const rng = createRng(2024);
    let current = job;
    let interruptions = 0;
    for (let kill = 0; kill < 3; kill++) {
      // Wait until at least one epoch has been checkpointed in this attempt, then a random number of batches more.
      const afterEpoch = await waitForEvent(app.service, (s) => s.id === current.id && s.train?.kind === 'epoch');
      const extraBatches = Math.floor(rng() * 3);
      if (extraBatches > 0) {
        await waitForEvent(app.service, (s) => s.id === current.id && s.train?.kind === 'batch' && s.train.batch >= extraBatches).catch(() => afterEpoch);
      }
      const proc = app.processes.at(-1)!;
      proc.kill(); // SIGKILL: no chance to clean up
      const ended = await waitForJob(app.service, current);
      const run = await app.service.call('runs.get', { runId });
      if (ended.status === 'done') break; // the run finished before the kill landed
      expect(ended.status).toBe('failed');
      expect(run.status).toBe('interrupted');
      interruptions++;
      const history = openHistory(join(app.dataDir, 'history.sqlite'), { readonly: true });
      expect(history.integrityCheck()).toEqual(['ok']);
      history.close();
      const epochsBefore = run.epochs.length;
      expect(epochsBefore).toBeGreaterThanOrEqual(1);
      current = (await app.service.call('runs.resume', { runId })).job;
    }
    expect(interruptions).toBeGreaterThanOrEqual(2);
    expect((await waitForJob(app.service, current)).status).toBe('done');
    const run = await app.service.call('runs.get', { runId });
    expect(run.status).toBe('done');
    // Every student epoch recorded exactly once, in order, despite the kills.
    expect(run.epochs.filter((e) => e.phase === 'student').map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(run.evaluation).not.toBeNull();
    expect(run.models.some((m) => m.kind === 'student')).toBe(true);
  }, 600_000);
});
