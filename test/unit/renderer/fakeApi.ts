/** A scripted ApiClient for store tests: handlers per operation, a call log, and events pushed by hand. */
import { chipPath } from '../../../main/api/protocol.js';
import type { ApiEvents, ApiInput, ApiResponse, ChipRef, EventName, JobSnapshot, OperationName, RunDetail, RunSummary, EvaluationDto } from '../../../renderer/src/api/types.js';
import type { AppClient, ConnectionState } from '../../../renderer/src/api/client.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../main/engine/config.js';

type Handler<K extends OperationName> = (input: ApiInput<K>) => ApiResponse<K> | Promise<ApiResponse<K>>;
export type Handlers = { [K in OperationName]?: Handler<K> };

export class FakeApi implements AppClient {
  readonly mode = 'browser' as const;
  readonly pickFolder = null;
  readonly calls: { op: OperationName; input: unknown }[] = [];
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>();

  constructor(public handlers: Handlers = {}) {}

  call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>> {
    this.calls.push({ op, input });
    const handler = this.handlers[op] as Handler<K> | undefined;
    if (!handler) return Promise.reject(new Error(`unexpected call ${op}`));
    return Promise.resolve().then(() => handler(input));
  }

  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: unknown) => void);
    return () => set.delete(listener as (payload: unknown) => void);
  }

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  chipUrl(ref: ChipRef): string {
    return `chip://${chipPath(ref)}`;
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    listener('open');
    return () => this.connectionListeners.delete(listener);
  }

  onMenu(): () => void {
    return () => undefined;
  }

  setConnection(state: ConnectionState): void {
    for (const l of this.connectionListeners) l(state);
  }

  opsCalled(): OperationName[] {
    return this.calls.map((c) => c.op);
  }
}

/** Let queued promise callbacks run. */
export async function flush(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}

export function makeJob(partial: Partial<JobSnapshot> = {}): JobSnapshot {
  return {
    id: 'job-1',
    kind: 'train',
    status: 'running',
    title: 'Training run 1',
    runId: null,
    datasetId: null,
    classificationId: null,
    fraction: 0,
    message: '',
    etaSec: null,
    train: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    error: null,
    ...partial,
  };
}

export function makeRun(partial: Partial<RunSummary> = {}): RunSummary {
  return {
    id: 1,
    name: 'run 1',
    datasetId: 1,
    datasetName: 'demo',
    method: 'aurakd',
    student: 'sarnet',
    teacher: 'resnet18',
    status: 'done',
    backend: 'wasm',
    seed: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    startedAt: null,
    endedAt: null,
    error: null,
    tags: [],
    note: '',
    valAccuracy: 0.9,
    testAccuracy: 0.88,
    balancedAccuracy: 0.87,
    macroF1: 0.86,
    ece: 0.05,
    durationSec: 60,
    sweepId: null,
    parentRunId: null,
    teacherModelId: null,
    ...partial,
  };
}

export function makeEvaluation(partial: Partial<EvaluationDto> = {}): EvaluationDto {
  return {
    id: 7,
    runId: 1,
    split: 'test',
    classes: ['a', 'b'],
    n: 10,
    accuracy: 0.8,
    balancedAccuracy: 0.8,
    macroF1: 0.8,
    ece: 0.1,
    confusion: [
      [4, 1],
      [1, 4],
    ],
    perClass: [],
    reliability: [],
    createdAt: '2025-01-01T00:00:00.000Z',
    ...partial,
  };
}

export function makeRunDetail(partial: Partial<RunDetail> = {}): RunDetail {
  return { ...makeRun(), config: DEFAULT_TRAIN_CONFIG, epochs: [], evaluation: makeEvaluation(), models: [], ...partial };
}
