/**
 * Two processes on one history: a CLI started while the app trains must not mark the app's live run
 * as interrupted (it did, before runs recorded their owner process).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_CONFIG, startTestApp, waitForEvent, waitForJob, type TestApp } from './helpers.js';

const run = promisify(execFile);
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.cleanup();
});

describe('a history shared by two processes', () => {
  it('a second process leaves the live run of the first alone; the running event comes once the row says so; a run it cancels does not start', async () => {
    const imported = await waitForJob(app.service, await app.service.call('datasets.importDemo', { seed: 6, perClass: 16 }));
    const seen: string[] = [];
    const off = app.service.on('run', (e) => {
      // What a view does on the event: read the run. It must already say what the event says.
      if (e.status === 'running') void app.service.call('runs.get', { runId: e.runId }).then((r) => seen.push(r.status));
    });
    const { runId, job } = await app.service.call('runs.start', { datasetId: imported.datasetId!, config: { ...TINY_CONFIG, method: 'ce', epochs: 40 } });
    const waiting = await app.service.call('runs.start', { datasetId: imported.datasetId!, config: { ...TINY_CONFIG, method: 'ce', epochs: 1 } });
    await waitForEvent(app.service, (s) => s.id === job.id && s.train?.kind === 'epoch' && s.train.epoch === 1);
    const cli = await run(process.execPath, [join(process.cwd(), 'bin/aura-kd.mjs'), 'runs', 'show', String(runId), '--data-dir', app.dataDir, '--json'], { timeout: 60_000 });
    expect(JSON.parse(cli.stdout).status).toBe('running');
    expect((await app.service.call('runs.get', { runId })).status).toBe('running');
    // The other process cancels the run still waiting in this process's queue: it must not start.
    await run(process.execPath, [join(process.cwd(), 'bin/aura-kd.mjs'), 'runs', 'cancel', String(waiting.runId), '--data-dir', app.dataDir], { timeout: 60_000 });
    // Enough seen: stop the long run here (it is cancelled by its owner, never interrupted).
    await app.service.call('runs.cancel', { runId });
    expect((await waitForJob(app.service, job)).status).toBe('cancelled');
    expect((await app.service.call('runs.get', { runId })).status).toBe('cancelled');
    expect((await waitForJob(app.service, waiting.job)).status).toBe('cancelled');
    const skipped = await app.service.call('runs.get', { runId: waiting.runId });
    expect([skipped.status, skipped.epochs.length, skipped.startedAt]).toEqual(['cancelled', 0, null]);
    off();
    expect(seen).toEqual(['running']);
  }, 180_000);

  it('a resumed run waiting in the queue shows queued, and another process can cancel it again', async () => {
    const imported = await waitForJob(app.service, await app.service.call('datasets.importDemo', { seed: 7, perClass: 16 }));
    const datasetId = imported.datasetId!;
    const { runId, job } = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'ce', epochs: 40 } });
    const waiting = await app.service.call('runs.start', { datasetId, config: { ...TINY_CONFIG, method: 'ce', epochs: 1 } });
    await app.service.call('runs.cancel', { runId: waiting.runId });
    expect((await waitForJob(app.service, waiting.job)).status).toBe('cancelled');
    const statuses: string[] = [];
    const off = app.service.on('run', (e) => e.runId === waiting.runId && statuses.push(e.status));
    const resumed = await app.service.call('runs.resume', { runId: waiting.runId });
    expect((await app.service.call('runs.get', { runId: waiting.runId })).status).toBe('queued');
    expect(statuses).toEqual(['queued']);
    await waitForEvent(app.service, (s) => s.id === job.id && s.train?.kind === 'epoch' && s.train.epoch === 1);
    const cli = await run(process.execPath, [join(process.cwd(), 'bin/aura-kd.mjs'), 'runs', 'cancel', String(waiting.runId), '--data-dir', app.dataDir], { timeout: 60_000 });
    expect(cli.stdout).toMatch(/cancelled/);
    await app.service.call('runs.cancel', { runId });
    expect((await waitForJob(app.service, job)).status).toBe('cancelled');
    expect((await waitForJob(app.service, resumed.job)).status).toBe('cancelled');
    const skipped = await app.service.call('runs.get', { runId: waiting.runId });
    expect([skipped.status, skipped.epochs.length, skipped.startedAt]).toEqual(['cancelled', 0, null]);
    off();
  }, 180_000);
});
