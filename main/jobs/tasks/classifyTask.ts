/** Classify a folder of new chips with a stored model; rows go into the history as they are computed. */
import { relative } from 'node:path';
import { listChipFiles } from '../../data/listChipFiles.js';
import { loadChipsForInference } from '../../data/tensorSets.js';
import { initBackend } from '../../engine/backend.js';
import { classifyTensorSet, loadModel } from '../../engine/modelStore.js';
import type { History } from '../../store/index.js';
import type { WorkerContext, WorkerTask } from '../messages.js';
import type { TaskIo } from './taskIo.js';

const CHUNK = 256;

export async function runClassification(
  task: Extract<WorkerTask, { type: 'classify' }>,
  ctx: WorkerContext,
  history: History,
  io: TaskIo,
): Promise<'done' | 'cancelled'> {
  const job = history.classifications.get(task.classificationId);
  if (!job) throw new Error(`Classification ${task.classificationId} not found`);
  const modelRecord = history.artifacts.getModel(job.modelId);
  if (!modelRecord) throw new Error(`Model ${job.modelId} not found`);
  await initBackend(ctx.backend);
  history.classifications.setStatus(job.id, 'running');
  const { model, meta } = await loadModel(modelRecord.dir);
  try {
    const files = await listChipFiles(job.folder);
    if (files.length === 0) throw new Error(`No files found under ${job.folder}`);
    const skipped = [];
    for (let start = 0; start < files.length; start += CHUNK) {
      if (io.signal.aborted) {
        history.classifications.setStatus(job.id, 'cancelled', { skipped });
        return 'cancelled';
      }
      const paths = files.slice(start, start + CHUNK);
      const chips = await loadChipsForInference(paths, meta.preprocess, { signal: io.signal });
      skipped.push(...chips.skipped);
      if (chips.n > 0) {
        const set = { x: chips.x, y: new Int32Array(chips.n), keys: chips.keys, n: chips.n, size: chips.size, channels: chips.channels, classes: meta.classes };
        const result = classifyTensorSet(model, meta, set);
        history.classifications.addRows(
          job.id,
          chips.keys.map((path, i) => ({
            key: relative(job.folder, path).split('\\').join('/'),
            path,
            predicted: result.predicted[i],
            probs: result.probs[i],
            entropy: result.entropy[i],
            lat: chips.geo[i]?.lat ?? null,
            lon: chips.geo[i]?.lon ?? null,
          })),
        );
      }
      const done = Math.min(files.length, start + CHUNK);
      io.progress(done / files.length, `Classified ${done}/${files.length} chips`);
    }
    history.classifications.setStatus(job.id, 'done', { skipped });
    return 'done';
  } finally {
    model.dispose();
  }
}
