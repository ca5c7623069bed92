/**
 * End to end, as an analyst works: the built renderer in headless Chromium against `aura-kd serve`
 * (real engine, real database). Imports the demo dataset, trains a short AURA-KD and a short KD run
 * with the wizard, watches progress, opens the history, compares the two runs, opens a confusion
 * cell, inspects a chip, classifies a folder and downloads the CSV, then runs a tiny CE vs AURA-KD
 * experiment (with a τ sweep) and reads its table, charts and analysis. Screenshots of every view go to
 * test-output/screenshots/. Skips when Debian's chromium is not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const outDir = path.join(repoRoot, 'test-output');
const shotDir = path.join(outDir, 'screenshots');
const TRAIN_TIMEOUT_MS = 240_000;

let work = '';
let server: ChildProcess | null = null;
let context: BrowserContext | null = null;
let page: Page;
let baseUrl = '';
const pageErrors: string[] = [];
const runIds: Record<string, number> = {};
let kdTeacherModel = 0;

function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/aura-kd.mjs'), 'serve', '--port', '0', '--data-dir', dataDir, '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`aura-kd serve printed no URL within 60 s. stderr: ${err}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.trim().startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aura-kd serve exited with ${code}: ${err}`));
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** A folder of new 48×48 chips: a bright blob on speckle-like noise. */
function writeNewChips(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const names: string[] = [];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let k = 0; k < count; k++) {
    const png = new PNG({ width: 48, height: 48 });
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 48; x++) {
        const blob = Math.abs(x - 24) < 3 + k && Math.abs(y - 24) < 9 ? 150 : 0;
        const v = Math.min(255, Math.floor(rand() * 70) + blob);
        const i = (y * 48 + x) * 4;
        png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
        png.data[i + 3] = 255;
      }
    const name = `new_${k}.png`;
    writeFileSync(path.join(dir, name), PNG.sync.write(png));
    names.push(name);
  }
  return names;
}

async function shot(name: string): Promise<void> {
  await page.waitForTimeout(400); // let charts finish their first frame
  await page.screenshot({ path: path.join(shotDir, `${name}.png`) });
}

async function go(hash: string): Promise<void> {
  await page.evaluate((h) => (window.location.hash = h), hash);
}

/** Poll the run page's status badge until the run ends; fail with the run's error when it does not end 'done'. */
async function waitForRunEnd(runId: number): Promise<void> {
  const deadline = Date.now() + TRAIN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = (await page.locator('.view-header .badge').first().textContent())?.trim().toLowerCase();
    if (status === 'done') return;
    if (status === 'failed' || status === 'cancelled' || status === 'interrupted') {
      const why = await page.locator('.failure').textContent().catch(() => '');
      throw new Error(`Run ${runId} ended ${status}: ${why}`);
    }
    await page.waitForTimeout(1000);
  }
  throw new Error(`Run ${runId} did not finish within ${TRAIN_TIMEOUT_MS / 1000} s`);
}

/** Start a run from the wizard; `teacherFrom` names a run whose saved teacher it distils from instead of training one. */
async function trainWithWizard(method: 'aurakd' | 'kd', name: string, epochs: number, teacherFrom?: string): Promise<number> {
  await page.click('nav a[href="#/train"]');
  await page.click('.cards .card:has-text("Demo")');
  await page.click('button:has-text("Next →")');
  await page.click(`[data-method=${method}]`);
  await page.click('[data-preset=fastCpu]');
  if (teacherFrom) {
    // The run's frozen teacher (its student is offered too, as "AURA-KD run “…”").
    const option = page.locator('[data-test=teacher-source] option', { hasText: `teacher of “${teacherFrom}”` });
    await page.selectOption('[data-test=teacher-source]', (await option.getAttribute('value'))!);
    await expect.poll(() => page.locator('[data-test=saved-teacher]').textContent()).toMatch(/^Model #\d+ \(\w+\) is frozen as it is/);
    expect(await page.locator(`[data-test=teacher-source] option:checked`).textContent()).toMatch(new RegExp(`^\\s*Saved model #\\d+ · \\w+ · teacher of “${teacherFrom}”\\s*$`));
    await shot('03a-wizard-saved-teacher');
  }
  await page.click('button:has-text("Next →")');
  await page.fill('#opt-epochs', String(epochs));
  await page.press('#opt-epochs', 'Tab');
  // A saved teacher is not trained: its epochs are no option then.
  expect(await page.locator('#opt-teacherEpochs').count()).toBe(teacherFrom ? 0 : 1);
  if (!teacherFrom) {
    await page.fill('#opt-teacherEpochs', '1');
    await page.press('#opt-teacherEpochs', 'Tab');
  }
  await page.click('button:has-text("Next →")');
  await expect.poll(() => page.locator('.review').textContent()).toContain(method === 'kd' ? 'KD' : 'AURA-KD');
  if (teacherFrom) expect(await page.locator('[data-test=review-teacher]').textContent()).toContain(`from “${teacherFrom}” (frozen)`);
  await page.fill('.review .name input', name);
  await page.click('[data-test=start-training]');
  await page.waitForFunction(() => /^#\/runs\/\d+$/.test(window.location.hash));
  const id = Number((await page.evaluate(() => window.location.hash)).split('/').pop());
  expect(id).toBeGreaterThan(0);
  return id;
}

describe.skipIf(!existsSync(CHROMIUM))('analyst workflow in the browser', () => {
  beforeAll(async () => {
    mkdirSync(shotDir, { recursive: true });
    // Always test the current sources: build the renderer the server serves.
    const build = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], { cwd: repoRoot, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`Renderer build failed: ${build.stderr}`);
    work = mkdtempSync(path.join(tmpdir(), 'aura-e2e-'));
    const started = await startServer(path.join(work, 'data'));
    server = started.child;
    baseUrl = started.url;
    context = await chromium.launchPersistentContext(path.join(work, 'chromium-profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(baseUrl);
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (server) await stopServer(server);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('imports the demo dataset with progress, and browses its chips with the keyboard', async () => {
    await page.waitForSelector('text=Compute:');
    await page.click('[data-test=import-demo]');
    await page.waitForSelector('.import .progress', { timeout: 30_000 });
    await page.waitForSelector('.list .item:has-text("Demo")', { timeout: 90_000 });
    await page.waitForSelector('.gallery .cell img', { timeout: 30_000 });
    await expect.poll(() => page.locator('.report').textContent()).toMatch(/every file was read|skipped/);
    await page.focus('.gallery');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('.gallery-panel .preview dl').textContent()).toContain('Key');
    expect(await page.locator('.gallery .cell').count()).toBeLessThan(200); // virtualised: not all 240 chips
    await shot('01-datasets');
  }, 150_000);

  it('trains a short AURA-KD run from the wizard and watches it live', async () => {
    const id = await trainWithWizard('aurakd', 'e2e AURA-KD', 2);
    runIds.aura = id;
    await page.waitForSelector('.live .progress', { timeout: 30_000 });
    await page.waitForSelector('.live .now', { timeout: 120_000 });
    await page.waitForSelector('.live:has-text("Training the student")', { timeout: 120_000 });
    await page.waitForTimeout(2500);
    await shot('02-live-run');
    await waitForRunEnd(id);
    await page.waitForSelector('[data-test=confusion] canvas');
    expect(await page.locator('.eval .stats').textContent()).toContain('accuracy');
  }, TRAIN_TIMEOUT_MS + 60_000);

  it('trains a short KD run from the wizard, distilling from the AURA-KD run’s saved teacher', async () => {
    const id = await trainWithWizard('kd', 'e2e KD', 1, 'e2e AURA-KD');
    runIds.kd = id;
    await page.waitForSelector('.live .progress', { timeout: 30_000 });
    await waitForRunEnd(id);
    await expect.poll(() => page.locator('.stat:has-text("teacher from") a').textContent()).toBe(`#${runIds.aura}`);
    const teacherModel = (await page.locator('[data-test=run-teacher-model]').textContent())?.match(/^model #(\d+)saved teacher$/);
    expect(teacherModel).not.toBeNull();
    kdTeacherModel = Number(teacherModel![1]);
    await page.click('.tabs button:has-text("Training curves")');
    await page.waitForSelector('.echart canvas');
    await shot('03-run-curves');
  }, TRAIN_TIMEOUT_MS + 60_000);

  it('starts a distillation from a saved model in the Models view', async () => {
    await page.click('nav a[href="#/models"]');
    const row = page.locator('tr', { hasText: 'e2e AURA-KD' }).filter({ has: page.locator('td:text-is("teacher")') });
    const modelId = Number(await row.locator('td').first().textContent());
    await row.locator(`[data-test=distil-from-${modelId}]`).click();
    await page.waitForFunction(() => window.location.hash.startsWith('#/train'));
    await expect.poll(() => page.locator('[data-test=teacher-first]').textContent()).toContain(`Distilling from saved model #${modelId}`);
    expect(await page.locator('.cards .card:has-text("Demo")').textContent()).toContain('fits the teacher');
    await shot('03b-wizard-teacher-first');
    await page.click('.cards .card:has-text("Demo")');
    await page.click('button:has-text("Next →")');
    expect(await page.locator('[data-method=aurakd]').getAttribute('class')).toContain('active');
    await expect.poll(() => page.locator('[data-test=teacher-source]').inputValue()).toBe(String(modelId));
    expect(await page.locator('[data-test=saved-teacher]').textContent()).toContain(`Model #${modelId}`);
    await page.click('button:has-text("Start over")');
  });

  it('finds both runs in the history and compares them', async () => {
    await page.click('nav a[href="#/runs"]');
    for (const id of [runIds.aura, runIds.kd]) await page.waitForSelector(`tr[data-run-id="${id}"]`);
    await page.fill('input[type=search]', 'e2e');
    await expect.poll(() => page.locator('tr[data-run-id]').count()).toBe(2);
    await shot('04-runs');
    await page.check(`tr[data-run-id="${runIds.aura}"] input[type=checkbox]`);
    await page.check(`tr[data-run-id="${runIds.kd}"] input[type=checkbox]`);
    await page.click('[data-test=compare-selected]');
    await page.waitForSelector('[data-test=metric-table]');
    const header = await page.locator('[data-test=metric-table] thead').textContent();
    expect(header).toContain('e2e AURA-KD');
    expect(header).toContain('e2e KD');
    expect(await page.locator('[data-test=metric-table] td.best').count()).toBeGreaterThan(0);
    const paired = (await page.locator('[data-test=paired-row] td.num').allTextContents()).map((t) => t.trim());
    expect(paired[0]).toBe('reference');
    expect(paired[1]).toMatch(/^\+\d+ \/ −\d+ · p [=<] [\d.]+$/);
    expect(await page.locator('.compare').textContent()).toContain('method');
    // The KD run distilled from the AURA-KD run's saved teacher: the comparison says so, and that it trained no teacher.
    expect((await page.locator('tr[data-option=teacherModel] td').allTextContents()).map((t) => t.trim())).toEqual([
      'teacherModel',
      'trained by the run',
      `saved model #${kdTeacherModel}`,
    ]);
    expect((await page.locator('tr[data-option=teacherEpochs] td').allTextContents()).map((t) => t.trim())).toEqual(['teacherEpochs', '1', 'not used']);
    await shot('05-compare');
    await page.locator('.compare').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot('05b-compare-confusions');
  }, 60_000);

  it('opens a confusion-matrix cell and inspects one of its chips', async () => {
    await go(`#/runs/${runIds.kd}`);
    const chart = page.locator('[data-test=confusion]');
    await chart.locator('canvas').first().waitFor();
    const box = (await chart.boundingBox())!;
    let opened = false;
    // Click across the heatmap until a cell with chips opens (which cells hold chips depends on the model).
    outer: for (const fy of [0.1, 0.3, 0.5, 0.7]) {
      for (const fx of [0.2, 0.4, 0.6, 0.75]) {
        await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
        await page.waitForTimeout(400);
        if ((await page.locator('.cell-chips .thumb').count()) > 0) {
          opened = true;
          break outer;
        }
      }
    }
    expect(opened).toBe(true);
    await shot('06-confusion-cell');
    await page.locator('.cell-chips .thumb').first().click();
    await page.waitForSelector('[data-test=verdict]');
    expect(await page.locator('.chip-detail table').textContent()).toContain('Offline teacher');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('s');
    await expect.poll(() => page.locator('.chip-detail .seg button.active').textContent()).toBe('dB');
    // A KD run has an offline teacher but no AURA-KD weights: disagreement is offered, w_off is not.
    expect(await page.locator('[data-rank]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rank')))).toEqual(['entropy', 'disagreement', 'wrongConfident']);
    await page.click('[data-rank=wrongConfident]');
    await page.waitForTimeout(800);
    await shot('07-inspector');
  }, 60_000);

  it('classifies a folder of new chips, flags one and downloads the CSV', async () => {
    const folder = path.join(work, 'new-chips');
    const names = writeNewChips(folder, 6);
    await page.click('nav a[href="#/classify"]');
    await expect.poll(() => page.locator('select[aria-label=Model] option').count()).toBeGreaterThan(0);
    await page.fill('.folder-field input', folder);
    await page.click('[data-test=classify]');
    await expect.poll(() => page.locator('.pred .tr').count(), { timeout: 90_000 }).toBe(6);
    await page.focus('.pred .body');
    await page.keyboard.press('f');
    await expect.poll(() => page.locator('.results .bar').textContent()).toContain('1 flagged');
    await shot('08-classify');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=export-csv]')]);
    const file = path.join(outDir, 'e2e-classification.csv');
    await download.saveAs(file);
    const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(7);
    for (const name of names) expect(lines.some((l) => l.includes(name))).toBe(true);
    expect(pageErrors).toEqual([]);
  }, 150_000);

  it('runs a tiny CE vs AURA-KD experiment with a τ sweep from the wizard and reads its table and charts', async () => {
    await page.click('nav a[href="#/train"]');
    await page.click('.cards .card:has-text("Demo")');
    await page.click('button:has-text("Next →")');
    await page.click('[data-method=aurakd]');
    await page.click('[data-preset=fastCpu]');
    // Teacher = student with the same budget: the CE baseline is the frozen teacher (no extra run).
    await page.selectOption('select[aria-label="Teacher backbone"]', 'sarnet');
    await page.click('button:has-text("Next →")');
    for (const id of ['#opt-epochs', '#opt-teacherEpochs']) {
      await page.fill(id, '1');
      await page.press(id, 'Tab');
    }
    await page.click('button:has-text("Next →")');
    await page.click('[data-launch=experiment]');
    await page.uncheck('[data-exp-method=kd]');
    await page.uncheck('[data-exp-method=selfkd]');
    await page.fill('#exp-seeds', '1, 1');
    await expect.poll(() => page.locator('[data-test=experiment-plan]').textContent()).toContain('Seed 1 is listed twice.');
    await page.fill('#exp-seeds', '1, 2');
    await page.check('#exp-tau-on');
    await page.fill('#exp-taus', '2, 4');
    // Per seed CE (also the teacher) and AURA-KD at τ 4 (on seed 1 also the sweep's τ 4 point), then AURA-KD at τ 2 on seed 1.
    await expect.poll(() => page.locator('[data-test=experiment-plan]').textContent()).toContain('5 runs will be queued');
    await page.check('#exp-shared-teacher');
    await expect.poll(() => page.locator('[data-test=experiment-plan]').textContent()).toContain('the offline teacher, trained once, included');
    await page.uncheck('#exp-shared-teacher');
    await expect.poll(() => page.locator('[data-test=experiment-plan]').textContent()).toContain('the offline teacher of each seed included');
    await page.fill('.review .name input', 'e2e experiment');
    await shot('09-wizard-experiment');
    await page.click('[data-test=start-training]');
    await page.waitForFunction(() => /^#\/experiments\/\d+$/.test(window.location.hash));
    await page.waitForSelector('[data-test=experiment-detail]');
    await page.waitForSelector('[data-test=training-now]', { timeout: 60_000 });
    await shot('10a-experiment-running');
    await expect.poll(() => page.locator('[data-test=experiment-detail] .progress-text').textContent(), { timeout: TRAIN_TIMEOUT_MS, interval: 1000 }).toMatch(/^5\/5 runs done/);
    const row = (key: string) => page.locator(`[data-test=experiment-results] tr[data-row="${key}"]`);
    for (const key of ['teacher', 'ce', 'aurakd']) {
      expect((await row(key).locator('td').nth(1).textContent())?.trim()).toBe('2/2');
      const means = await row(key).locator('td.metric .mean').allTextContents();
      const spreads = await row(key).locator('td.metric .std').allTextContents();
      expect(means).toHaveLength(4);
      for (const m of means) expect(m).toMatch(/^\d{1,3}\.\d\d$/);
      for (const s of spreads) expect(s).toMatch(/^± \d{1,3}\.\d\d$/);
    }
    expect((await row('teacher').textContent())?.trim()).toContain('Offline teacher');
    // Paired on the same test chips: only the pair whose two methods ran (no KD, no Self-KD here).
    const paired = await page.locator('[data-test=experiment-paired] li').allTextContents();
    expect(paired).toHaveLength(1);
    expect(paired[0]).toMatch(/^AURA-KD vs CE: right only with AURA-KD on \d+ test chips?, only with CE on \d+ \(2 seeds, \d+ pairs\) · McNemar p [=<] [\d.]+$/);
    expect(await page.locator('[data-test=experiment-tau] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-test=experiment-runs] tbody tr').count()).toBe(5);
    expect(await page.locator('[data-test=experiment-runs] .badge.done').count()).toBe(5);
    await page.waitForSelector('[data-test=experiment-bars] canvas');
    await page.waitForSelector('[data-test=experiment-tau-chart] canvas');
    await expect.poll(() => page.locator('[data-test=experiment-list] tr[data-experiment-id]').textContent()).toContain('e2e experiment');
    await shot('10-experiment');
    await page.locator('.experiments').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await shot('10b-experiment-runs');
    // Behind the table: per-class recall, pooled confusions and AURA-KD's w_off; nothing left to resume.
    await page.waitForSelector('[data-test=experiment-recall] canvas');
    await page.waitForSelector('[data-test=experiment-confusion] canvas');
    await page.waitForSelector('[data-test=experiment-woff] canvas');
    expect(await page.locator('[data-test=experiment-confusions] tbody tr').count()).toBe(2);
    expect(await page.locator('[data-test=experiment-resume]').count()).toBe(0);
    await page.locator('[data-test=experiment-analysis]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('10c-experiment-analysis');

    // The report: saved as a Markdown file and copied to the clipboard, the same text, with the table as shown.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=experiment-save]')]);
    const reportFile = path.join(outDir, 'e2e-experiment.md');
    await download.saveAs(reportFile);
    expect(download.suggestedFilename()).toMatch(/^experiment-\d+-e2e-experiment\.md$/);
    expect(await page.locator('[data-test=report-notice]').textContent()).toBe(`Saved ${download.suggestedFilename()}`);
    const report = readFileSync(reportFile, 'utf8');
    expect(report).toMatch(/^## Experiment \d+ "e2e experiment" on dataset .+: 5\/5 runs done\n/);
    const [auraMean, auraStd] = [await row('aurakd').locator('td.metric .mean').first().textContent(), await row('aurakd').locator('td.metric .std').first().textContent()];
    expect(report).toContain(`| AURA-KD | 2/2 | ${auraMean?.trim()} ${auraStd?.trim()} |`);
    expect(report).toContain(paired[0]);
    expect(report).toMatch(/\nRuns:\n\n\| role \| seed \| run \| status \| test accuracy % \| val accuracy % \| time \|\n/);
    await context!.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.click('[data-test=experiment-copy]');
    await expect.poll(() => page.locator('[data-test=report-notice]').textContent()).toBe('Copied the report as Markdown');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(report);
    expect(pageErrors).toEqual([]);
  }, TRAIN_TIMEOUT_MS + 60_000);

  it('pools two experiments into one table', async () => {
    // A second comparison on the same chips from the command line (another process on the same history): CE alone, seed 3, one epoch.
    const dataDir = path.join(work, 'data');
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/aura-kd.mjs'), ...args, '--data-dir', dataDir, '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
    const datasetId = (JSON.parse(cli('datasets', 'list').stdout) as Array<{ id: number }>)[0].id;
    const second = cli('experiment', '--dataset', String(datasetId), '--name', 'e2e second', '--student', 'sarnet', '--methods', 'ce', '--seeds', '3', '--epochs', '1');
    expect(second.status, second.stderr).toBe(0);
    await go('#/experiments');
    await expect.poll(() => page.locator('[data-test=experiment-list] tbody tr').count(), { timeout: 20_000 }).toBe(2);
    for (const row of await page.locator('[data-test=experiment-list] tbody tr').all()) await row.locator('td.pick input').check();
    await page.click('[data-test=pool-selected]');
    await page.waitForSelector('[data-test=experiment-pool]');
    const seeds = async (method: string) => (await page.locator(`[data-test=pool-results] tr[data-row=${method}] td`).nth(1).textContent())?.trim();
    expect([await seeds('ce'), await seeds('aurakd')]).toEqual(['3/3', '2/2']);
    expect(await page.locator('[data-test=pool-paired] li').first().textContent()).toMatch(/^AURA-KD vs CE: .+ \(2 seeds, \d+ pairs\) · McNemar p [=<] [\d.]+ · 1 experiment$/);
    // Ticked newest first: the CE-only experiment used no teacher, so the first one's teacher settings show against 'not used'.
    expect((await page.locator('[data-test=pool-settings] tr:has-text("teacherEpochs") td').allTextContents()).map((t) => t.trim())).toEqual(['teacherEpochs', 'not used', '1']);
    await page.locator('[data-test=experiment-pool]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot('10d-experiments-pooled');
    expect(pageErrors).toEqual([]);
  }, 240_000);

  it('deletes a run only after saying which classifications go with it, and a classification on its own', async () => {
    const dialog = page.locator('.modal[role=dialog]');
    await go(`#/runs/${runIds.kd}`);
    await page.click('.view-header button.danger:has-text("Delete")');
    await expect.poll(() => dialog.textContent()).toContain('and the 1 classification of new chips made with its models (flags included)');
    await shot('11-delete-run-with-classification');
    await dialog.locator('footer button:has-text("Cancel")').click();

    await page.click('nav a[href="#/classify"]');
    await page.locator('.history .item').first().click();
    await page.click('[data-test=delete-classification]');
    await expect.poll(() => dialog.textContent()).toContain('(6 chips, 1 flagged)? The chip files are not touched.');
    await dialog.locator('footer button.danger').click();
    await expect.poll(() => page.locator('.history .item').count()).toBe(0);

    await go(`#/runs/${runIds.kd}`);
    await page.click('.view-header button.danger:has-text("Delete")');
    await expect.poll(() => dialog.locator('footer button.danger').isEnabled()).toBe(true);
    expect(await dialog.textContent()).not.toContain('classification');
    await dialog.locator('footer button.danger').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toBe('#/runs');
    await expect.poll(() => page.locator(`tr[data-run-id="${runIds.kd}"]`).count()).toBe(0);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
