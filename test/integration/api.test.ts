/**
 * The API against a real database file and real (tiny) training in real job processes:
 * import → train → evaluate → query every view's data → compare → classify → delete.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, OPERATION_NAMES, type OperationName } from '../../main/api/contract.js';
import { mcnemarExactP } from '../../main/experiments/paired.js';
import { openHistory } from '../../main/store/index.js';
import { TINY_CONFIG, startTestApp, waitForJob, type TestApp } from './helpers.js';

let app: TestApp;
let datasetId: number;
let auraRun: number;
let kdRun: number;

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.cleanup();
});

describe('app API end to end', () => {
  it('imports the demo dataset with a report, stats and chip pages', async () => {
    const job = await app.service.call('datasets.importDemo', { seed: 3, perClass: 24 });
    expect(job.kind).toBe('import');
    const end = await waitForJob(app.service, job);
    expect(end.status).toBe('done');
    datasetId = end.datasetId!;
    const list = await app.service.call('datasets.list', {});
    expect(list).toHaveLength(1);
    const d = await app.service.call('datasets.get', { datasetId });
    expect(d.classes).toEqual(['boat', 'reflector', 'tank', 'truck']);
    expect(d.sampleCount).toBe(96);
    expect(d.splitCounts.train + d.splitCounts.val + d.splitCounts.test).toBe(96);
    expect(d.classCounts.train.reduce((a, b) => a + b, 0)).toBe(d.splitCounts.train);
    expect(d.sizeHistogram).toEqual([{ size: '48×48', count: 96 }]);
    expect(d.preprocess.size).toBe(48);
    const page = await app.service.call('datasets.chips', { datasetId, className: 'tank', split: 'train', limit: 5 });
    expect(page.items).toHaveLength(5);
    expect(page.items.every((c) => c.className === 'tank' && c.split === 'train')).toBe(true);
    expect(page.items[0].url).toMatch(/^chip:\/\/sample\/\d+\?key=/);
    const png = await app.service.chipImage({ kind: 'sample', datasetId, key: page.items[0].key });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('trains an AURA-KD run and a KD run, recording epochs, models and the evaluation', async () => {
    const a = await app.service.call('runs.start', { datasetId, name: 'aura tiny', config: TINY_CONFIG });
    const k = await app.service.call('runs.start', { datasetId, name: 'kd tiny', config: { ...TINY_CONFIG, method: 'kd' } });
    auraRun = a.runId;
    kdRun = k.runId;
    // One training job at a time: the second waits in the queue.
    expect((await app.service.call('jobs.get', { jobId: k.job.id })).status).toBe('queued');
    const progress: number[] = [];
    const off = app.service.on('job', (s) => s.id === a.job.id && progress.push(s.fraction));
    expect((await waitForJob(app.service, a.job)).status).toBe('done');
    off();
    expect(progress.length).toBeGreaterThan(3);
    expect((await waitForJob(app.service, k.job)).status).toBe('done');

    const run = await app.service.call('runs.get', { runId: auraRun });
    expect(run.status).toBe('done');
    expect(run.backend).toBe('wasm');
    expect(run.epochs.filter((e) => e.phase === 'teacher')).toHaveLength(1);
    expect(run.epochs.filter((e) => e.phase === 'student')).toHaveLength(2);
    const student = run.epochs.filter((e) => e.phase === 'student');
    expect(student[1].loss.off).toBeGreaterThan(0);
    expect(student[1].wOff.mean).toBeGreaterThan(0);
    expect(student[1].wOff.mean).toBeLessThan(1);
    expect(run.models.map((m) => m.kind).sort()).toEqual(['online', 'student', 'teacher']);
    for (const m of run.models) expect(existsSync(join(m.dir, 'model.json'))).toBe(true);
    const ev = run.evaluation!;
    expect(ev.split).toBe('test');
    expect(ev.n).toBe(run.evaluation!.confusion.flat().reduce((x, y) => x + y, 0));
    expect(run.testAccuracy).toBeCloseTo(ev.accuracy, 10);
    expect(ev.reliability).toHaveLength(10);
    const curves = await app.service.call('runs.curves', { runId: auraRun });
    expect(curves).toHaveLength(3);
  });

  it('serves every evaluation view: confusion cells, one chip, rankings', async () => {
    const ev = (await app.service.call('eval.get', { runId: auraRun }))!;
    const diagonal = ev.confusion.findIndex((row, i) => row[i] > 0);
    const cell = await app.service.call('eval.cellChips', { evaluationId: ev.id, trueLabel: diagonal, predictedLabel: diagonal });
    expect(cell.total).toBe(ev.confusion[diagonal][diagonal]);
    expect(cell.items.every((c) => c.label === diagonal && c.predicted === diagonal && c.correct)).toBe(true);
    expect(cell.items.every((c) => c.width === 48 && c.height === 48)).toBe(true);
    const chip = await app.service.call('eval.chip', { evaluationId: ev.id, key: cell.items[0].key });
    expect(chip.student).toHaveLength(4);
    expect(chip.offline).toHaveLength(4);
    expect(chip.online).toHaveLength(4);
    expect(chip.wOff! + chip.wOn!).toBeCloseTo(1, 6);
    expect(chip.width).toBe(48);
    for (const by of ['entropy', 'disagreement', 'wOff'] as const) {
      const ranked = await app.service.call('eval.rank', { evaluationId: ev.id, by, limit: 5 });
      expect(ranked.items.length).toBeGreaterThan(0);
      const values = ranked.items.map((c) => (by === 'entropy' ? c.entropyStudent : by === 'wOff' ? c.wOff! : 0));
      if (by !== 'disagreement') expect([...values].sort((x, y) => y - x)).toEqual(values);
    }
    const wrong = await app.service.call('eval.rank', { evaluationId: ev.id, by: 'wrongConfident' });
    expect(wrong.items.every((c) => !c.correct)).toBe(true);
    expect(wrong.total).toBe(ev.n - ev.confusion.reduce((s, row, i) => s + row[i], 0));
  });

  it('lists, filters, tags, notes and compares runs', async () => {
    await app.service.call('runs.tag', { runId: auraRun, add: ['baseline', 'tiny'] });
    await app.service.call('runs.note', { runId: auraRun, note: 'first try' });
    const tagged = await app.service.call('runs.list', { tag: 'baseline' });
    expect(tagged.items.map((r) => r.id)).toEqual([auraRun]);
    expect(tagged.items[0].note).toBe('first try');
    const kd = await app.service.call('runs.list', { method: 'kd' });
    expect(kd.items.map((r) => r.id)).toEqual([kdRun]);
    const sorted = await app.service.call('runs.list', { sortBy: 'testAccuracy', sortDir: 'desc' });
    const accs = sorted.items.map((r) => r.testAccuracy!);
    expect([...accs].sort((x, y) => y - x)).toEqual(accs);
    const cmp = await app.service.call('runs.compare', { runIds: [auraRun, kdRun] });
    expect(cmp.runs.map((r) => r.id)).toEqual([auraRun, kdRun]);
    expect(cmp.configDiff.find((d) => d.key === 'method')?.values).toEqual(['aurakd', 'kd']);
    expect(cmp.configDiff.some((d) => d.key === 'epochs')).toBe(false);
    // Paired on the same test chips: recounted from each run's wrong chips.
    const wrongKeys = async (runId: number) => {
      const ev = (await app.service.call('eval.get', { runId }))!;
      const wrong = await app.service.call('eval.rank', { evaluationId: ev.id, by: 'wrongConfident', limit: 1000 });
      return { n: ev.n, keys: new Set(wrong.items.map((c) => c.key)) };
    };
    const [aura, kdWrong] = [await wrongKeys(auraRun), await wrongKeys(kdRun)];
    const kdOnly = [...aura.keys].filter((k) => !kdWrong.keys.has(k)).length;
    const auraOnly = [...kdWrong.keys].filter((k) => !aura.keys.has(k)).length;
    expect(cmp.paired).toEqual([{ runId: kdRun, referenceRunId: auraRun, chips: aura.n, runOnly: kdOnly, referenceOnly: auraOnly, pValue: mcnemarExactP(kdOnly, auraOnly) }]);
  });

  it('retrains a run on data with the same classes, reusing its frozen teacher', async () => {
    const { runId, job } = await app.service.call('runs.retrain', { runId: auraRun, datasetId });
    expect((await waitForJob(app.service, job)).status).toBe('done');
    const run = await app.service.call('runs.get', { runId });
    expect(run.parentRunId).toBe(auraRun);
    expect(run.epochs.some((e) => e.phase === 'teacher')).toBe(false);
    expect(run.models.map((m) => m.kind).sort()).toEqual(['online', 'student']);
    expect(run.evaluation!.n).toBeGreaterThan(0);
    await app.service.call('runs.delete', { runId });
  });

  it('classifies a folder with a run model and exports CSV', async () => {
    const models = await app.service.call('models.list', {});
    const student = models.find((m) => m.runId === auraRun && m.kind === 'student')!;
    expect(student.classes).toEqual(['boat', 'reflector', 'tank', 'truck']);
    const folder = join(app.dataDir, 'demo', 'seed3-n24', 'test');
    const { classificationId, job } = await app.service.call('classify.start', { modelId: student.id, folder });
    expect((await waitForJob(app.service, job)).status).toBe('done');
    const result = await app.service.call('classify.get', { classificationId });
    const files = readdirSync(folder, { recursive: true }).filter((f) => String(f).endsWith('.png'));
    expect(result.rows).toHaveLength(files.length);
    const flagged = await app.service.call('classify.flag', { classificationId, key: result.rows[0].key, flagged: true });
    expect(flagged.flagged).toBe(true);
    const csv = await app.service.call('classify.export', { classificationId, format: 'csv' });
    const lines = csv.content.trim().split('\n');
    expect(lines[0]).toBe('key,path,class,confidence,entropy,flagged,lat,lon,p_boat,p_reflector,p_tank,p_truck');
    expect(lines).toHaveLength(files.length + 1);
    await expect(app.service.call('classify.export', { classificationId, format: 'geojson' })).rejects.toThrow('no coordinates');
  });

  it('never deletes classifications by the way: runs and models that made one are refused unless cascading', async () => {
    const [made] = await app.service.call('classify.list', {});
    const student = (await app.service.call('models.list', {})).find((m) => m.id === made.modelId)!;
    await expect(app.service.call('runs.delete', { runId: auraRun })).rejects.toMatchObject({
      code: 'conflict',
      message: `run ${auraRun}: refused, 1 classification(s) were made with its model (#${made.id}) and would be deleted with it; ask for cascade (CLI: --cascade) to delete them too`,
    });
    await expect(app.service.call('models.delete', { modelId: student.id })).rejects.toMatchObject({
      code: 'conflict',
      message: `models.delete: model ${student.id} is run ${auraRun}'s student model; it is deleted with that run`,
    });
    expect((await app.service.call('classify.get', { classificationId: made.id })).rows.some((r) => r.flagged)).toBe(true);
    expect((await app.service.call('runs.get', { runId: auraRun })).status).toBe('done');

    // An imported model: deleted only after its classification (or with cascade); its files go too.
    const exported = await app.service.call('models.export', { modelId: student.id, destDir: join(app.dataDir, 'exported') });
    const imported = await app.service.call('models.import', { dir: exported.dir });
    const folder = join(app.dataDir, 'demo', 'seed3-n24', 'test');
    const { classificationId, job } = await app.service.call('classify.start', { modelId: imported.id, folder });
    expect((await waitForJob(app.service, job)).status).toBe('done');
    await expect(app.service.call('models.delete', { modelId: imported.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(await app.service.call('classify.delete', { classificationId })).toEqual({ deleted: true });
    await expect(app.service.call('classify.get', { classificationId })).rejects.toMatchObject({ code: 'notFound' });
    const dir = (await app.service.call('models.list', {})).find((m) => m.id === imported.id)!.dir;
    expect(existsSync(dir)).toBe(true);
    expect(await app.service.call('models.delete', { modelId: imported.id })).toEqual({ deleted: true, classificationsDeleted: 0 });
    expect(existsSync(dir)).toBe(false);
    expect((await app.service.call('models.list', {})).some((m) => m.id === imported.id)).toBe(false);
    await expect(app.service.call('models.delete', { modelId: imported.id })).rejects.toMatchObject({ code: 'notFound' });
  });

  it('rejects a bad request of every operation with a typed error and changes nothing', async () => {
    const before = JSON.stringify([await app.service.call('runs.list', {}), await app.service.call('datasets.list', {})]);
    for (const op of OPERATION_NAMES as OperationName[]) {
      const err = await app.service.call(op, { bogusField: 1 }).catch((e: unknown) => e);
      expect(err, op).toBeInstanceOf(ApiError);
      expect((err as ApiError).code, op).toBe('invalid');
      expect((err as ApiError).message, op).toContain(op);
    }
    await expect(app.service.call('runs.start', { datasetId, config: { epochs: -1 } })).rejects.toThrow('config.epochs: must be between 1 and 500');
    await expect(app.service.call('runs.get', { runId: 999 })).rejects.toMatchObject({ code: 'notFound' });
    await expect(app.service.call('runs.sweep', { datasetId, sweep: 'tau', values: [2, 999] })).rejects.toThrow('config.distill.tau');
    await expect(app.service.call('datasets.import', { root: '/definitely/not/here' })).rejects.toThrow('not a folder');
    const after = JSON.stringify([await app.service.call('runs.list', {}), await app.service.call('datasets.list', {})]);
    expect(after).toBe(before);
  });

  it('deletes runs with their files, and refuses to delete a used dataset unless cascading', async () => {
    const run = await app.service.call('runs.get', { runId: kdRun });
    const dir = run.models[0].dir;
    expect(existsSync(dir)).toBe(true);
    await app.service.call('runs.delete', { runId: kdRun });
    expect(existsSync(dir)).toBe(false);
    await expect(app.service.call('runs.get', { runId: kdRun })).rejects.toMatchObject({ code: 'notFound' });
    await expect(app.service.call('datasets.delete', { datasetId })).rejects.toBeInstanceOf(ApiError);
    expect(await app.service.call('datasets.list', {})).toHaveLength(1);
    const r = await app.service.call('datasets.delete', { datasetId, cascade: true });
    expect(r).toEqual({ deleted: true, runsDeleted: 1, classificationsDeleted: 1 });
    expect(await app.service.call('runs.list', {})).toMatchObject({ total: 0 });
    const history = openHistory(join(app.dataDir, 'history.sqlite'));
    expect(history.integrityCheck()).toEqual(['ok']);
    history.close();
  });
});
