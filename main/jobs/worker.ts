/**
 * Entry point of a job process. Receives one task from the parent, runs it against the history
 * database (its own connection; SQLite WAL lets the parent read meanwhile), streams progress, and
 * exits. Cancellation arrives as a message and is honoured between batches.
 */
import { openHistory, type History } from '../store/index.js';
import { isWorkerMessage, type ParentMessage, type WorkerMessage } from './messages.js';
import { runClassification } from './tasks/classifyTask.js';
import { runImport } from './tasks/importTask.js';
import type { TaskIo } from './tasks/taskIo.js';
import { runTraining } from './tasks/trainTask.js';

/** Electron's utility process talks through process.parentPort; a Node child through process.send. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (parentPort) {
      parentPort.postMessage(message);
      return resolve();
    }
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

async function execute(message: Extract<ParentMessage, { type: 'start' }>, abort: AbortController): Promise<WorkerMessage> {
  const { task, context } = message;
  let history: History | null = null;
  let lastProgress = 0;
  const io: TaskIo = {
    signal: abort.signal,
    progress(fraction, text, etaSec = null, train) {
      // Batch events can be very frequent; at most ~10 messages a second, but always epoch events.
      const now = Date.now();
      if (train?.kind !== 'epoch' && now - lastProgress < 100) return;
      lastProgress = now;
      void send({ type: 'progress', fraction, message: text, etaSec, ...(train ? { train } : {}) });
    },
  };
  try {
    history = openHistory(context.databasePath);
    switch (task.type) {
      case 'import': {
        const datasetId = await runImport(task, context, history, io);
        return { type: 'done', datasetId, message: 'Imported' };
      }
      case 'train': {
        const status = await runTraining(task, context, history, io);
        return status === 'done' ? { type: 'done', message: 'Training finished' } : { type: 'cancelled', message: 'Cancelled' };
      }
      case 'classify': {
        const status = await runClassification(task, context, history, io);
        return status === 'done' ? { type: 'done', message: 'Classification finished' } : { type: 'cancelled', message: 'Cancelled' };
      }
      default:
        throw new Error(`Unknown task ${JSON.stringify(task)}`);
    }
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    if (abort.signal.aborted) {
      if (task.type === 'train' && history) tryRecord(() => history!.runs.cancel(task.runId));
      if (task.type === 'classify' && history) tryRecord(() => history!.classifications.setStatus(task.classificationId, 'cancelled'));
      return { type: 'cancelled', message: 'Cancelled' };
    }
    if (task.type === 'train' && history) tryRecord(() => history!.runs.fail(task.runId, text));
    if (task.type === 'classify' && history) tryRecord(() => history!.classifications.setStatus(task.classificationId, 'failed', { error: text }));
    return { type: 'error', message: text };
  } finally {
    history?.close();
  }
}

function tryRecord(fn: () => unknown): void {
  try {
    fn();
  } catch {
    /* the row may already be final */
  }
}

const abort = new AbortController();
let started = false;
function onParentMessage(raw: unknown): void {
  if (!isWorkerMessage(raw as never)) return;
  const message = raw as ParentMessage;
  if (message.type === 'cancel') {
    abort.abort();
    return;
  }
  if (message.type === 'start' && !started) {
    started = true;
    void execute(message, abort).then(async (result) => {
      await send(result);
      process.exit(0);
    });
  }
}
if (parentPort) parentPort.on('message', (e) => onParentMessage(e.data));
else process.on('message', onParentMessage);
// The parent died: nothing left to report to.
process.on('disconnect', () => process.exit(0));
