/**
 * The one implementation of the API contract. IPC, the WebSocket server and the CLI all call
 * `service.call(op, input)`: the input is validated here, at the boundary, then dispatched.
 */
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePreference } from '../engine/backend.js';
import { JobManager, type JobOutcome } from '../jobs/manager.js';
import { ownerAlive } from '../jobs/owner.js';
import { defaultDataDir, openHistory, type History } from '../store/index.js';
import { ChipImageCache } from './chipImage.js';
import { ApiError, parseRequest, type ApiEvents, type ChipRef, type EventName, type JobSnapshot, type OperationName } from './contract.js';
import type { ServiceContext } from './context.js';
import { datasetHandlers } from './handlers/datasets.js';
import { evaluationHandlers } from './handlers/evaluation.js';
import { modelHandlers } from './handlers/models.js';
import { experimentHandlers } from './handlers/experiments.js';
import { runHandlers } from './handlers/runs.js';
import { systemHandlers } from './handlers/system.js';
import { chipPath, CHIP_SCHEME } from './protocol.js';
import type { AppService, AppServiceOptions } from './service-types.js';

export const DATABASE_FILE = 'history.sqlite';

type Handler = (req: never) => unknown;

export async function createAppService(options: AppServiceOptions = {}): Promise<AppService> {
  const dataDir = options.dataDir ?? defaultDataDir();
  mkdirSync(dataDir, { recursive: true });
  const database = join(dataDir, DATABASE_FILE);
  const history: History = openHistory(database);
  // A previous app process that died mid-run left its runs 'running': they are interrupted now —
  // but not the live work of another app or CLI process on the same history.
  history.markInterruptedRuns(ownerAlive);
  const backend = resolvePreference(options.backend ?? 'auto');

  const events = new EventEmitter();
  events.setMaxListeners(100);
  const emit = <E extends EventName>(event: E, payload: ApiEvents[E]) => events.emit(event, payload);
  const toUrl = options.chipUrl ?? ((path: string) => `${CHIP_SCHEME}://${path}`);

  const announced = new Set<number>();
  const onFinish = (job: JobSnapshot, outcome: JobOutcome) => {
    if (job.runId !== null) announced.delete(job.runId);
    if (job.kind === 'train' && job.runId !== null) {
      const run = history.runs.get(job.runId);
      // The worker records done/failed/cancelled itself; a worker that died leaves 'running' behind.
      if (run && (run.status === 'running' || run.status === 'queued')) {
        try {
          if (outcome.status === 'cancelled') history.runs.cancel(run.id);
          else if (outcome.crashed) history.runs.interrupt(run.id);
          else history.runs.fail(run.id, outcome.message);
        } catch {
          /* already final */
        }
      }
      const after = history.runs.get(job.runId);
      if (after) emit('run', { runId: after.id, status: after.status });
    }
    if (job.kind === 'import' && outcome.datasetId !== undefined) emit('dataset', { datasetId: outcome.datasetId });
    if (job.kind === 'classify' && job.classificationId !== null) {
      const c = history.classifications.get(job.classificationId);
      if (c && (c.status === 'running' || c.status === 'queued')) {
        try {
          history.classifications.setStatus(c.id, outcome.status === 'cancelled' ? 'cancelled' : 'failed', { error: outcome.message || 'The worker stopped' });
        } catch {
          /* already final */
        }
      }
      emit('classification', { classificationId: job.classificationId, status: outcome.status });
    }
  };

  const jobs = new JobManager({
    context: { dataDir, databasePath: database, backend },
    spawner: options.spawner,
    maxConcurrentTraining: options.maxConcurrentTraining,
    onUpdate: (job) => {
      emit('job', job);
      // Announce 'running' once the worker has recorded it, so a listener that reads the run sees it.
      if (job.kind === 'train' && job.runId !== null && job.status === 'running' && !announced.has(job.runId) && history.runs.get(job.runId)?.status === 'running') {
        announced.add(job.runId);
        emit('run', { runId: job.runId, status: 'running' });
      }
    },
    onFinish,
  });

  const ctx: ServiceContext = { history, jobs, dataDir, emit, chipUrl: (ref: ChipRef) => toUrl(chipPath(ref)) };
  const handlers: Record<OperationName, Handler> = {
    ...systemHandlers(ctx, backend),
    ...datasetHandlers(ctx),
    ...runHandlers(ctx),
    ...experimentHandlers(ctx),
    ...evaluationHandlers(ctx),
    ...modelHandlers(ctx),
  };
  const images = new ChipImageCache();

  const chipFile = (ref: ChipRef): string => {
    if (ref.kind === 'sample') {
      const sample = history.datasets.sample(ref.datasetId, ref.key);
      if (!sample) throw new ApiError('notFound', `Chip ${ref.key} not found in dataset ${ref.datasetId}`);
      return sample.path;
    }
    const row = history.classifications.rows(ref.classificationId).find((r) => r.key === ref.key);
    if (!row) throw new ApiError('notFound', `Chip ${ref.key} not found in classification ${ref.classificationId}`);
    return row.path;
  };

  let closed = false;
  return {
    paths: { dataDir, database },
    async call(op, input) {
      if (closed) throw new ApiError('failed', 'The app is shutting down');
      const request = parseRequest(op, input);
      const handler = handlers[op];
      try {
        return (await handler(request as never)) as never;
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError('failed', `${op}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    on(event, listener) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    async chipImage(ref) {
      const path = chipFile(ref);
      try {
        return await images.render(path, ref.stretch ?? 'linear');
      } catch (err) {
        throw new ApiError('notFound', `Chip ${ref.key} cannot be read: ${(err as Error).message}`);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.close();
      events.removeAllListeners();
      history.close();
    },
  };
}
