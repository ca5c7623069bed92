/**
 * The CLI's model commands on a real history: finding a run's model ids (models list, runs show),
 * exporting one to a folder and importing it back; and a CLI whose reader goes away (`| head`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../main/cli.js';
import { TINY_CONFIG, startTestApp, waitForJob, type TestApp } from './helpers.js';

let app: TestApp;
let runId: number;
let exportRoot: string;

/** Runs the CLI in-process and returns [exit code, stdout, stderr]. */
async function cli(...argv: string[]): Promise<[number, string, string]> {
  const [out, err]: string[][] = [[], []];
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c) => (out.push(String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c) => (err.push(String(c)), true));
  try {
    const code = await main([...argv, '--data-dir', app.dataDir]);
    return [code, out.join(''), err.join('')];
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

beforeAll(async () => {
  app = await startTestApp();
  exportRoot = mkdtempSync(join(tmpdir(), 'aura-models-'));
  const imported = await waitForJob(app.service, await app.service.call('datasets.importDemo', { seed: 3, perClass: 10 }));
  const { runId: id, job } = await app.service.call('runs.start', { datasetId: imported.datasetId!, config: { ...TINY_CONFIG, method: 'kd', epochs: 1 } });
  runId = id;
  expect((await waitForJob(app.service, job)).status).toBe('done');
}, 240_000);
afterAll(async () => {
  await app?.cleanup();
  rmSync(exportRoot, { recursive: true, force: true });
});

describe('aura-kd models', () => {
  it("lists a run's models with their ids, and runs show names them", async () => {
    const run = await app.service.call('runs.get', { runId });
    const [student, teacher] = ['student', 'teacher'].map((k) => run.models.find((m) => m.kind === k)!);
    expect(student && teacher).toBeTruthy();

    const [code, out] = await cli('models', 'list', '--run', String(runId));
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +kind +network +method +run +classes +input +test acc +created$/);
    const rowIds = lines.slice(1, -1).map((l) => Number(l.split(/\s+/)[0]));
    expect(rowIds.sort()).toEqual([student.id, teacher.id].sort());
    expect(lines.at(-1)).toBe('2 model(s)');
    const studentRow = lines.find((l) => l.startsWith(`${student.id} `))!;
    expect(studentRow.split(/\s{2,}/).slice(0, 6)).toEqual([String(student.id), 'student', 'sarnet', 'kd', `#${runId} ${run.name}`, '4']);

    const [, students] = await cli('models', 'list', '--kind', 'student', '--json');
    expect(JSON.parse(students).map((m: { id: number }) => m.id)).toEqual([student.id]);

    const [, shown] = await cli('runs', 'show', String(runId));
    expect(shown).toContain(`\n  models: #${student.id} student sarnet (test ${(student.accuracy! * 100).toFixed(2)}%) · #${teacher.id} teacher sarnet\n`);
    // The run's test accuracy is the student's: the teacher's row has none.
    expect(teacher.accuracy).toBeNull();
    expect(studentRow).toContain(`${(student.accuracy! * 100).toFixed(2)}%`);
    expect(lines.find((l) => l.startsWith(`${teacher.id} `))!.split(/\s{2,}/)[7]).toBe('–');
  });

  it('exports a model to a folder and imports it back as a new model', async () => {
    const { id } = (await app.service.call('runs.get', { runId })).models.find((m) => m.kind === 'student')!;
    const [code, out] = await cli('models', 'export', String(id), exportRoot);
    expect(code).toBe(0);
    const dir = join(exportRoot, `aura-model-${id}`);
    expect(out.trim()).toBe(`Model ${id} exported to ${dir}`);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);

    const [again, , refused] = await cli('models', 'export', String(id), exportRoot);
    expect([again, refused.trim()]).toEqual([1, `aura-kd: models.export: ${dir} already exists`]);

    const before = (await app.service.call('models.list', {})).length;
    const [imported, text] = await cli('models', 'import', dir);
    expect(imported).toBe(0);
    const after = await app.service.call('models.list', {});
    expect(after).toHaveLength(before + 1);
    const added = after.reduce((a, b) => (b.id > a.id ? b : a));
    expect(added.kind).toBe('imported');
    expect(text.trim()).toBe(`Imported as model ${added.id} (sarnet, 4 classes: ${added.classes.join(', ')})`);
  });

  it('deletes an imported model, with the classifications made with it only when --cascade says so', async () => {
    const models = await app.service.call('models.list', {});
    const imported = models.filter((m) => m.kind === 'imported').reduce((a, b) => (b.id > a.id ? b : a));
    const student = models.find((m) => m.runId === runId && m.kind === 'student')!;
    const folder = join(app.dataDir, 'demo', 'seed3-n10', 'test');
    const { classificationId, job } = await app.service.call('classify.start', { modelId: imported.id, folder });
    expect((await waitForJob(app.service, job)).status).toBe('done');

    expect(await cli('models', 'delete', String(student.id))).toEqual([1, '', `aura-kd: models.delete: model ${student.id} is run ${runId}'s student model; it is deleted with that run\n`]);
    expect(await cli('models', 'delete', String(imported.id))).toEqual([
      1,
      '',
      `aura-kd: model ${imported.id}: refused, 1 classification(s) were made with its model (#${classificationId}) and would be deleted with it; ask for cascade (CLI: --cascade) to delete them too\n`,
    ]);
    expect((await app.service.call('classify.get', { classificationId })).status).toBe('done');
    expect(await cli('models', 'delete', String(imported.id), '--cascade')).toEqual([0, `Deleted model ${imported.id} and 1 classification(s) made with it\n`, '']);
    expect(await app.service.call('classify.list', {})).toEqual([]);
    expect((await app.service.call('models.list', {})).map((m) => m.id)).toEqual(models.filter((m) => m.id !== imported.id).map((m) => m.id));
  });

  it('refuses bad arguments with a usage error and changes nothing', async () => {
    const before = await app.service.call('models.list', {});
    expect((await cli('models', 'delete'))[2]).toBe('aura-kd: models delete needs a model id (models list shows them)\n');
    expect((await cli('models', 'list', '--kind', 'online'))[2]).toBe('aura-kd: --kind must be one of student, teacher, imported\n');
    expect((await cli('models', 'export', 'x', exportRoot))[2]).toBe('aura-kd: models export needs a model id (models list shows them)\n');
    expect((await cli('models', 'export', '3'))[2]).toBe('aura-kd: models export needs a model id and a destination folder\n');
    expect((await cli('models', 'import'))[0]).toBe(2);
    expect((await cli('models', 'import', join(exportRoot, 'nothing-here')))[0]).toBe(1);
    expect(await app.service.call('models.list', {})).toEqual(before);
  });
});

describe('the CLI under a closed pipe', () => {
  it('exits quietly when its reader goes away (aura-kd … | head)', async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/aura-kd.mjs'), 'help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the CLI writes a byte: its write fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += String(c)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
