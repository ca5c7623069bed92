/** Import a folder (or the generated demo dataset) into the history. */
import { join } from 'node:path';
import { writeDemoDataset } from '../../data/demo/demoDataset.js';
import { importFolder } from '../../data/importFolder.js';
import { validatePreprocessConfig } from '../../data/preprocess.js';
import type { ImportReport, PreprocessConfig } from '../../data/types.js';
import { DEFAULT_PREPROCESS } from '../../engine/config.js';
import type { History } from '../../store/index.js';
import type { WorkerContext, WorkerTask } from '../messages.js';
import type { TaskIo } from './taskIo.js';

/**
 * Sensible preprocessing for what was imported: one common size no larger than the typical chip
 * (centre crop/pad, never a per-class resize), dB for calibrated float data, per-chip normalisation.
 */
export function defaultPreprocessFor(report: ImportReport): PreprocessConfig {
  const sides = report.samples.map((s) => Math.min(s.width, s.height)).sort((a, b) => a - b);
  const median = sides.length ? sides[Math.floor(sides.length / 2)] : DEFAULT_PREPROCESS.size;
  const linearData = report.samples.some((s) => s.format === 'tiffFloat' || s.format === 'mstar');
  const twoBand = report.samples.some((s) => s.channels === 2);
  return {
    ...DEFAULT_PREPROCESS,
    size: Math.max(16, Math.min(DEFAULT_PREPROCESS.size, median)),
    intensity: linearData ? 'db' : 'linear',
    channels: twoBand ? 2 : 1,
  };
}

export async function runImport(task: Extract<WorkerTask, { type: 'import' }>, ctx: WorkerContext, history: History, io: TaskIo): Promise<number> {
  let root = task.root;
  if (task.demo) {
    io.progress(0.02, 'Generating the demo dataset…');
    const demo = await writeDemoDataset(join(ctx.dataDir, 'demo', `seed${task.demo.seed}-n${task.demo.perClass}`), task.demo);
    root = demo.dir;
  }
  const report = await importFolder(root, {
    signal: io.signal,
    valFraction: task.valFraction,
    testFraction: task.testFraction,
    seed: task.seed,
    groupBy: task.groupBy,
    testRoot: task.testRoot,
    onProgress: (done, total) => io.progress(0.05 + 0.9 * (done / Math.max(1, total)), `Reading chips ${done}/${total}`),
  });
  if (report.samples.length === 0) {
    const why = report.skipped.length ? ` (${report.skipped.length} files skipped, e.g. ${report.skipped[0].path}: ${report.skipped[0].reason})` : '';
    throw new Error(`No readable chips found under ${root}${why}`);
  }
  const preprocess = { ...defaultPreprocessFor(report), ...(task.preprocess ?? {}) } as PreprocessConfig;
  validatePreprocessConfig(preprocess);
  const dataset = history.datasets.create({ name: task.datasetName, report, preprocess });
  return dataset.id;
}
