/**
 * Runs long work (training, import, classification) in child processes, one process per job, so
 * the API stays responsive and a crash in TensorFlow cannot take the app down. Training jobs are
 * limited to `maxConcurrentTraining` at once; the rest wait in order. Progress is kept as a
 * JobSnapshot and pushed to subscribers.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { JobKind, JobSnapshot, JobStatus } from '../api/contract.js';
import type { JobProcess, ProcessSpawner } from '../api/service-types.js';
import { isWorkerMessage, type ParentMessage, type WorkerContext, type WorkerMessage, type WorkerTask } from './messages.js';

export interface JobRequest {
  kind: JobKind;
  title: string;
  task: WorkerTask;
  runId?: number;
  datasetId?: number;
  classificationId?: number;
}

/** How a job ended, as the service needs to know to keep the history consistent. */
export interface JobOutcome {
  status: Exclude<JobStatus, 'queued' | 'running'>;
  /** True when the process died without reporting (kill -9, crash, power loss). */
  crashed: boolean;
  message: string;
  datasetId?: number;
}

export interface JobManagerOptions {
  context: WorkerContext;
  spawner?: ProcessSpawner;
  maxConcurrentTraining?: number;
  /** Seconds a cancelled worker gets to stop by itself before it is killed. */
  cancelGraceSec?: number;
  onUpdate?: (job: JobSnapshot) => void;
  onFinish?: (job: JobSnapshot, outcome: JobOutcome) => void;
}

interface Entry {
  snapshot: JobSnapshot;
  request: JobRequest;
  process: JobProcess | null;
  cancelRequested: boolean;
  finished: boolean;
  killTimer: NodeJS.Timeout | null;
}

/** The worker entry: worker.ts from source (run through tsx), or the bundled worker.js of the desktop build. */
export const WORKER_MODULE =
  ['./worker.js', '../worker.js', './worker.ts'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((p) => existsSync(p)) ??
  fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Default spawner: a Node child process running the TypeScript worker through tsx. */
export const forkSpawner: ProcessSpawner = (modulePath, args, env) => {
  const execArgv = modulePath.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = fork(modulePath, args, { execArgv, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    get pid() {
      return child.pid;
    },
    postMessage: (message) => {
      if (child.connected) child.send(message as never);
    },
    on: (event: 'message' | 'exit', listener: (arg: never) => void) => {
      if (event === 'message') child.on('message', listener as (m: unknown) => void);
      else child.on('exit', (code) => (listener as (c: number | null) => void)(code));
    },
    kill: () => {
      child.kill('SIGKILL');
    },
  } as JobProcess;
};

export class JobManager {
  private readonly entries = new Map<string, Entry>();
  private readonly order: string[] = [];
  private readonly spawner: ProcessSpawner;
  private readonly maxTraining: number;
  private closed = false;

  constructor(private readonly options: JobManagerOptions) {
    this.spawner = options.spawner ?? forkSpawner;
    this.maxTraining = Math.max(1, options.maxConcurrentTraining ?? 1);
  }

  submit(request: JobRequest): JobSnapshot {
    if (this.closed) throw new Error('The job manager is closed');
    const snapshot: JobSnapshot = {
      id: randomUUID(),
      kind: request.kind,
      status: 'queued',
      title: request.title,
      runId: request.runId ?? null,
      datasetId: request.datasetId ?? null,
      classificationId: request.classificationId ?? null,
      fraction: 0,
      message: 'Waiting in the queue',
      etaSec: null,
      train: null,
      createdAt: new Date().toISOString(),
      error: null,
    };
    const entry: Entry = { snapshot, request, process: null, cancelRequested: false, finished: false, killTimer: null };
    this.entries.set(snapshot.id, entry);
    this.order.push(snapshot.id);
    this.emit(entry);
    this.pump();
    return { ...snapshot };
  }

  list(): JobSnapshot[] {
    return this.order.map((id) => ({ ...this.entries.get(id)!.snapshot }));
  }

  get(id: string): JobSnapshot | null {
    const entry = this.entries.get(id);
    return entry ? { ...entry.snapshot } : null;
  }

  /** The live job of a run (queued or running), if any. */
  findByRun(runId: number): JobSnapshot | null {
    for (const id of this.order) {
      const e = this.entries.get(id)!;
      if (e.snapshot.runId === runId && !e.finished) return { ...e.snapshot };
    }
    return null;
  }

  cancel(id: string): JobSnapshot | null {
    const entry = this.entries.get(id);
    if (!entry || entry.finished) return entry ? { ...entry.snapshot } : null;
    entry.cancelRequested = true;
    if (!entry.process) {
      this.finish(entry, { status: 'cancelled', crashed: false, message: 'Cancelled before it started' });
    } else {
      entry.snapshot.message = 'Cancelling…';
      this.emit(entry);
      entry.process.postMessage({ type: 'cancel' } satisfies ParentMessage);
      const grace = (this.options.cancelGraceSec ?? 30) * 1000;
      entry.killTimer = setTimeout(() => entry.process?.kill(), grace);
      entry.killTimer.unref?.();
    }
    return { ...entry.snapshot };
  }

  /** Resolves when no job is queued or running. */
  async idle(pollMs = 100): Promise<void> {
    while ([...this.entries.values()].some((e) => !e.finished)) await new Promise((r) => setTimeout(r, pollMs));
  }

  /** Kill every running worker (their runs become interrupted) and refuse new jobs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.entries.values()) {
      if (entry.finished) continue;
      if (entry.process) entry.process.kill();
      else this.finish(entry, { status: 'cancelled', crashed: false, message: 'The app closed before it started' });
    }
    await this.idle(20);
  }

  private pump(): void {
    if (this.closed) return;
    let training = 0;
    for (const e of this.entries.values()) if (e.process && !e.finished && e.request.kind === 'train') training++;
    for (const id of this.order) {
      const entry = this.entries.get(id)!;
      if (entry.finished || entry.process) continue;
      if (entry.request.kind === 'train') {
        if (training >= this.maxTraining) continue;
        training++;
      }
      this.start(entry);
    }
  }

  private start(entry: Entry): void {
    const child = this.spawner(WORKER_MODULE, [], { AURA_KD_JOB_ID: entry.snapshot.id });
    entry.process = child;
    entry.snapshot.status = 'running';
    entry.snapshot.message = 'Starting…';
    this.emit(entry);
    child.on('message', (raw) => {
      if (isWorkerMessage(raw)) this.onMessage(entry, raw);
    });
    child.on('exit', (code) => {
      if (entry.killTimer) clearTimeout(entry.killTimer);
      if (entry.finished) return;
      if (entry.cancelRequested) {
        this.finish(entry, { status: 'cancelled', crashed: true, message: 'Cancelled' });
      } else {
        this.finish(entry, { status: 'failed', crashed: true, message: `The worker process ended unexpectedly (exit code ${code ?? 'signal'})` });
      }
    });
    child.postMessage({ type: 'start', task: entry.request.task, context: this.options.context } satisfies ParentMessage);
  }

  private onMessage(entry: Entry, message: WorkerMessage): void {
    if (entry.finished) return;
    switch (message.type) {
      case 'progress':
        entry.snapshot.fraction = Math.min(1, Math.max(0, message.fraction));
        entry.snapshot.message = message.message;
        entry.snapshot.etaSec = message.etaSec;
        if (message.train) entry.snapshot.train = message.train;
        this.emit(entry);
        return;
      case 'done':
        this.finish(entry, { status: 'done', crashed: false, message: message.message, datasetId: message.datasetId });
        return;
      case 'cancelled':
        this.finish(entry, { status: 'cancelled', crashed: false, message: message.message });
        return;
      case 'error':
        this.finish(entry, { status: 'failed', crashed: false, message: message.message });
        return;
    }
  }

  private finish(entry: Entry, outcome: JobOutcome): void {
    if (entry.finished) return;
    entry.finished = true;
    if (entry.killTimer) clearTimeout(entry.killTimer);
    entry.snapshot.status = outcome.status;
    entry.snapshot.message = outcome.message;
    entry.snapshot.etaSec = null;
    if (outcome.status === 'done') entry.snapshot.fraction = 1;
    if (outcome.status === 'failed') entry.snapshot.error = outcome.message;
    if (outcome.datasetId !== undefined) entry.snapshot.datasetId = outcome.datasetId;
    try {
      this.options.onFinish?.({ ...entry.snapshot }, outcome);
    } finally {
      this.emit(entry);
      // A finished worker is told nothing more; make sure it is gone.
      if (entry.process && outcome.status !== 'done') entry.process.kill();
      this.pump();
    }
  }

  private emit(entry: Entry): void {
    this.options.onUpdate?.({ ...entry.snapshot });
  }
}
