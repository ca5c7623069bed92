import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import {
  OTHER_PROCESS_POLL_MS,
  RELOAD_DELAY_MS,
  configSummary,
  experimentRuns,
  meanStdPercent,
  parseSeeds,
  parseTaus,
  resumableRuns,
  roleLabel,
  seedCount,
  useExperimentsStore,
  verdict,
} from '../../../renderer/src/stores/experiments.js';
import type { ExperimentDetailDto, ExperimentSummaryDto } from '../../../renderer/src/stores/experiments.js';
import type { ExperimentResultDto } from '../../../main/api/contract.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../main/engine/config.js';
import { summariseExperiment } from '../../../main/experiments/summary.js';
import { FakeApi, flush, makeJob } from './fakeApi.js';

type Result = ExperimentResultDto;
const result = (p: Partial<Result> & Pick<Result, 'runId' | 'role' | 'method'>): Result => ({
  name: `run ${p.runId}`,
  seed: 1,
  tau: 4,
  status: 'done',
  accuracy: 0.8,
  balancedAccuracy: 0.75,
  macroF1: 0.7,
  valAccuracy: 0.82,
  durationSec: 30,
  otherProcess: false,
  ...p,
});

function summary(id: number, partial: Partial<ExperimentSummaryDto> = {}): ExperimentSummaryDto {
  return { id, name: `exp ${id}`, datasetId: 1, datasetName: 'demo', methods: ['ce', 'aurakd'], seeds: [1], taus: [], createdAt: '2025-01-01T00:00:00.000Z', runs: 2, done: 1, failed: 0, ...partial };
}

/** CE (also the teacher) done, AURA-KD queued. */
function detail(id: number, results: Result[]): ExperimentDetailDto {
  return { ...summary(id), config: DEFAULT_TRAIN_CONFIG, tauSeeds: [], sharedTeacher: false, teacherModelId: null, results, tables: summariseExperiment(results, ['ce', 'aurakd'], []), analysis: { classes: [], methods: [] }, paired: [] };
}
const RESULTS: Result[] = [
  result({ runId: 10, role: 'method', method: 'ce' }),
  result({ runId: 10, role: 'teacher', method: 'ce' }),
  result({ runId: 11, role: 'method', method: 'aurakd', status: 'queued', accuracy: null, balancedAccuracy: null, macroF1: null, valAccuracy: null, durationSec: null }),
];

describe('experiment helpers', () => {
  it('merges a run with two roles into one row, in plan order', () => {
    const runs = experimentRuns([...RESULTS, result({ runId: 12, role: 'tau', method: 'aurakd', tau: 2 })]);
    expect(runs.map((r) => [r.runId, r.roles, r.status])).toEqual([
      [10, ['method', 'teacher'], 'done'],
      [11, ['method'], 'queued'],
      [12, ['tau'], 'done'],
    ]);
    expect(runs.map(roleLabel)).toEqual(['CE · teacher', 'AURA-KD', 'AURA-KD · τ sweep']);
    expect(roleLabel({ roles: ['teacher'], method: 'ce' })).toBe('Offline teacher');
  });

  it('formats mean ± std in percent, seed counts and verdicts', () => {
    expect(meanStdPercent({ mean: 0.93125, std: 0.00414 })).toBe('93.13 ± 0.41');
    expect(meanStdPercent(null)).toBe('—');
    expect(seedCount({ n: 2, planned: 3, failed: 1 })).toBe('2/3 (1 failed)');
    expect(seedCount({ n: 3, planned: 3, failed: 0 })).toBe('3/3');
    expect([verdict(true), verdict(false), verdict(null)]).toEqual(['holds', 'does not hold', 'pending']);
  });

  it('summarises the shared config in one line', () => {
    const c = { ...DEFAULT_TRAIN_CONFIG, teacherEpochs: 1, lrSchedule: 'cosine' as const, balancedSampling: true, augment: { ...DEFAULT_TRAIN_CONFIG.augment, shift: 4 } };
    expect(configSummary(c)).toBe(
      `student sarnet · offline teacher resnet18 (1 epoch CE, frozen) · 15 epochs, batch 32 · Adam lr 0.001 cosine, weight decay 1e-4 · τ 4 · input ${c.preprocess.size}×${c.preprocess.size} ${c.preprocess.intensity} · shift ±4 px · class-balanced batches`,
    );
    expect(configSummary({ ...c, distill: { ...c.distill, granularity: 'batch', offlinePrior: 1.5 } })).toContain(' · τ 4 · AURA-KD: granularity batch, offlinePrior 1.5 · input ');
  });

  it('finds the runs a resume would queue again: interrupted, cancelled, and queued without a live job once jobs are known', () => {
    const runs = experimentRuns([
      result({ runId: 1, role: 'method', method: 'ce', status: 'done' }),
      result({ runId: 2, role: 'method', method: 'kd', status: 'interrupted' }),
      result({ runId: 3, role: 'method', method: 'selfkd', status: 'cancelled' }),
      result({ runId: 4, role: 'method', method: 'aurakd', status: 'queued' }),
      result({ runId: 5, role: 'tau', method: 'aurakd', status: 'queued' }),
      result({ runId: 6, role: 'tau', method: 'aurakd', status: 'interrupted' }),
      result({ runId: 7, role: 'tau', method: 'aurakd', status: 'failed' }),
      result({ runId: 8, role: 'tau', method: 'aurakd', status: 'queued', otherProcess: true }),
    ]);
    const jobs = {
      4: makeJob({ id: 'a', runId: 4, status: 'queued' }),
      5: makeJob({ id: 'b', runId: 5, status: 'cancelled' }),
      6: makeJob({ id: 'c', runId: 6, status: 'running' }),
    };
    expect(resumableRuns(runs, jobs, true).map((r) => r.runId)).toEqual([2, 3, 5]);
    expect(resumableRuns(runs, jobs, false).map((r) => r.runId)).toEqual([2, 3]);
    expect(resumableRuns(runs, {}, true).map((r) => r.runId)).toEqual([2, 3, 4, 5, 6]);
  });

  it('parses seed and τ lists', () => {
    expect(parseSeeds('1, 2,3  4')).toEqual([1, 2, 3, 4]);
    expect(parseTaus('0.5;8')).toEqual([0.5, 8]);
    expect(parseTaus('1, 21')).toBe('τ value 21 is outside 0.5–20.');
    expect(parseSeeds(' , ')).toBe('Enter at least one seed.');
  });
});

describe('experiments store', () => {
  let fake: FakeApi;
  let results: Result[];
  beforeEach(() => {
    setActivePinia(createPinia());
    results = RESULTS.map((r) => ({ ...r }));
    fake = new FakeApi({
      'experiments.list': () => [summary(2), summary(1, { done: 2 })],
      'experiments.get': ({ experimentId }) => detail(experimentId, results),
      'experiments.delete': () => ({ deleted: true as const }),
      'jobs.list': () => [
        makeJob({ id: 'old', runId: 11, status: 'cancelled', createdAt: '2025-01-01T00:00:00.000Z' }),
        makeJob({ id: 'new', runId: 11, status: 'running', fraction: 0.25, createdAt: '2025-01-02T00:00:00.000Z' }),
        makeJob({ id: 'other', runId: 99, status: 'running' }),
      ],
    });
    setApiClient(fake);
  });
  afterEach(() => vi.useRealTimers());

  it('lists experiments and opens one with its runs and the job training now', async () => {
    const store = useExperimentsStore();
    await store.start();
    expect(store.list.map((e) => e.id)).toEqual([2, 1]);
    await store.select(2);
    expect(store.detail?.tables.methods.map((r) => [r.method, r.n, r.planned])).toEqual([
      ['ce', 1, 1],
      ['aurakd', 0, 1],
    ]);
    expect(store.runs.map((r) => r.runId)).toEqual([10, 11]);
    // The newest job of run 11 wins over an older one; other experiments' jobs are ignored.
    expect(Object.keys(store.jobs)).toEqual(['11']);
    expect(store.training.map(({ run, job }) => [run.runId, run.status, job?.id, job?.fraction])).toEqual([[11, 'running', 'new', 0.25]]);
    expect(store.unfinished).toBe(1);
    expect(fake.calls.filter((c) => c.op === 'experiments.get').map((c) => c.input)).toEqual([{ experimentId: 2 }]);
  });

  it('forgets jobs that ended while it was not listening', async () => {
    const store = useExperimentsStore();
    await store.start();
    await store.select(2);
    expect(store.training).toHaveLength(1);
    store.stop();
    fake.handlers['jobs.list'] = () => [makeJob({ id: 'new', runId: 11, status: 'done', fraction: 1, createdAt: '2025-01-02T00:00:00.000Z' })];
    await store.start();
    expect(store.training).toEqual([]);
    expect(store.jobs[11].status).toBe('done');
  });

  it('does not ask for jobs when every run has ended', async () => {
    results = results.map((r) => ({ ...r, status: 'done' }));
    const store = useExperimentsStore();
    await store.select(2);
    expect(fake.opsCalled()).toEqual(['experiments.get']);
    expect(store.training).toEqual([]);
  });

  it('shows a run event at once and reloads list and tables once, debounced', async () => {
    vi.useFakeTimers();
    const store = useExperimentsStore();
    await store.start();
    await store.select(2);
    fake.calls.length = 0;
    fake.emit('run', { runId: 11, status: 'done' });
    fake.emit('run', { runId: 99, status: 'done' });
    expect(store.runs.find((r) => r.runId === 11)?.status).toBe('done');
    expect(fake.calls).toEqual([]);
    results[2] = { ...results[2], status: 'done', accuracy: 0.9 };
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS + 10);
    expect(fake.opsCalled().sort()).toEqual(['experiments.get', 'experiments.list']);
    expect(store.detail?.tables.methods[1].accuracy).toEqual({ mean: 0.9, std: 0 });
    expect(store.detail?.tables.ordering).toEqual({ auraKdGeKd: null, kdGeCe: null, selfKdGeCe: null });
  });

  it('follows job events of its runs: running shows at once, an ended job reloads', async () => {
    vi.useFakeTimers();
    fake.handlers['jobs.list'] = () => [];
    const store = useExperimentsStore();
    await store.start();
    await store.select(2);
    expect(store.training).toEqual([]);
    fake.calls.length = 0;
    fake.emit('job', makeJob({ id: 'j', runId: 11, status: 'running', fraction: 0.5 }));
    fake.emit('job', makeJob({ id: 'x', runId: 42, status: 'running' }));
    fake.emit('job', makeJob({ id: 'i', kind: 'import', runId: null }));
    expect(store.training.map(({ run, job }) => [run.runId, run.status, job?.fraction])).toEqual([[11, 'running', 0.5]]);
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS + 10);
    expect(fake.calls).toEqual([]);
    fake.emit('job', makeJob({ id: 'j', runId: 11, status: 'done', fraction: 1 }));
    expect(store.training).toEqual([]);
    await vi.advanceTimersByTimeAsync(RELOAD_DELAY_MS + 10);
    expect(fake.opsCalled().sort()).toEqual(['experiments.get', 'experiments.list']);
  });

  it('ignores a detail response that arrives after another experiment was selected', async () => {
    let release: (() => void) | null = null;
    fake.handlers['experiments.get'] = ({ experimentId }) =>
      experimentId === 1 ? new Promise((resolve) => (release = () => resolve(detail(1, results)))) : detail(experimentId, results);
    const store = useExperimentsStore();
    const first = store.select(1);
    await flush();
    await store.select(2);
    release!();
    await first;
    expect(store.selectedId).toBe(2);
    expect(store.detail?.id).toBe(2);
  });

  it('deletes an experiment record, clearing the selection, and says why it could not', async () => {
    const store = useExperimentsStore();
    await store.select(2);
    expect(await store.remove(2)).toBe(true);
    expect(fake.calls.find((c) => c.op === 'experiments.delete')?.input).toEqual({ experimentId: 2 });
    expect([store.selectedId, store.detail]).toEqual([null, null]);
    expect(fake.opsCalled().at(-1)).toBe('experiments.list');
    fake.handlers['experiments.delete'] = () => {
      throw new Error('Experiment 7 not found');
    };
    expect(await store.remove(7)).toBe(false);
    expect(store.error).toBe('Experiment 7 not found');
  });

  it('pools the ticked experiments in tick order, forgets a deleted one, and shows a refusal', async () => {
    const pooled = { experiments: [], methods: ['ce'], classes: ['a'], tables: summariseExperiment([], ['ce'], []), paired: [], settingsDiff: [] };
    fake.handlers['experiments.pool'] = () => pooled;
    const store = useExperimentsStore();
    store.togglePooled(2);
    store.togglePooled(1);
    store.togglePooled(3);
    store.togglePooled(3);
    expect(store.poolIds).toEqual([2, 1]);
    await store.pool();
    expect(fake.calls.find((c) => c.op === 'experiments.pool')?.input).toEqual({ experimentIds: [2, 1] });
    expect(store.pooled).toEqual(pooled);
    store.closePool();
    expect(store.pooled).toBeNull();
    await store.remove(2);
    expect(store.poolIds).toEqual([1]);
    fake.handlers['experiments.pool'] = () => {
      throw new Error('experiments.pool: experiments 1 and 4 classify different classes (a / b); pool experiments on the same classes');
    };
    await store.pool();
    expect(store.error).toBe('experiments.pool: experiments 1 and 4 classify different classes (a / b); pool experiments on the same classes');
    expect(store.pooled).toBeNull();
  });

  it('offers to resume an interrupted run, resumes it and refreshes list, tables and jobs', async () => {
    results = [RESULTS[0], RESULTS[1], { ...RESULTS[2], status: 'interrupted' }];
    fake.handlers['jobs.list'] = () => [];
    fake.handlers['experiments.resume'] = () => {
      fake.handlers['jobs.list'] = () => [makeJob({ id: 'again', runId: 11, status: 'queued', createdAt: '2025-01-03T00:00:00.000Z' })];
      return { runIds: [11] };
    };
    const store = useExperimentsStore();
    await store.select(2);
    expect(store.jobsKnown).toBe(true);
    expect(store.resumable.map((r) => r.runId)).toEqual([11]);
    fake.calls.length = 0;
    expect(await store.resume()).toEqual([11]);
    expect(fake.calls[0]).toEqual({ op: 'experiments.resume', input: { experimentId: 2 } });
    expect(fake.opsCalled().slice(1).sort()).toEqual(['experiments.get', 'experiments.list', 'jobs.list']);
    // The run still reads 'interrupted' until its job starts, but its queued job means nothing is left to resume.
    expect(store.runs[1].status).toBe('interrupted');
    expect(store.resumable).toEqual([]);
    expect(store.waiting).toBe(1);
    expect([store.resuming, store.error]).toEqual([false, null]);
  });

  it('counts a queued run whose job was lost as resumable only once the jobs are known', async () => {
    let answer: (() => void) | null = null;
    fake.handlers['jobs.list'] = () => new Promise((resolve) => (answer = () => resolve([])));
    const store = useExperimentsStore();
    const selecting = store.select(2);
    await flush();
    expect(store.runs[1].status).toBe('queued');
    expect([store.jobsKnown, store.resumable.length, store.waiting]).toEqual([false, 0, 1]);
    answer!();
    await selecting;
    expect([store.jobsKnown, store.resumable.map((r) => r.runId), store.waiting]).toEqual([true, [11], 0]);
  });

  it('does not offer runs another process queued or trains; re-reads the tables until they finish there', async () => {
    vi.useFakeTimers();
    fake.handlers['jobs.list'] = () => [];
    results = [RESULTS[0], RESULTS[1], { ...RESULTS[2], status: 'running', otherProcess: true }, result({ runId: 12, role: 'tau', method: 'aurakd', status: 'queued', otherProcess: true })];
    const store = useExperimentsStore();
    await store.start();
    await store.select(2);
    expect([store.resumable, store.training, store.waiting]).toEqual([[], [], 0]);
    expect(store.elsewhere.map((r) => [r.runId, r.status])).toEqual([
      [11, 'running'],
      [12, 'queued'],
    ]);
    fake.calls.length = 0;
    await vi.advanceTimersByTimeAsync(OTHER_PROCESS_POLL_MS - 100);
    expect(fake.calls).toEqual([]);
    results = results.map((r) => ({ ...r, status: 'done', otherProcess: false }));
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.opsCalled().sort()).toEqual(['experiments.get', 'experiments.list']);
    expect(store.elsewhere).toEqual([]);
    // Nothing left elsewhere: no further polling.
    fake.calls.length = 0;
    await vi.advanceTimersByTimeAsync(3 * OTHER_PROCESS_POLL_MS);
    expect(fake.calls).toEqual([]);
  });

  it('stops re-reading for another process when the view closes', async () => {
    vi.useFakeTimers();
    fake.handlers['jobs.list'] = () => [];
    results = [RESULTS[0], RESULTS[1], { ...RESULTS[2], otherProcess: true }];
    const store = useExperimentsStore();
    await store.start();
    await store.select(2);
    store.stop();
    fake.calls.length = 0;
    await vi.advanceTimersByTimeAsync(2 * OTHER_PROCESS_POLL_MS);
    expect(fake.calls).toEqual([]);
  });

  it('shows the API’s refusal to resume and still refreshes', async () => {
    fake.handlers['experiments.resume'] = () => {
      throw new Error('experiments.resume: experiment 2 has no interrupted, cancelled or orphaned queued run');
    };
    const store = useExperimentsStore();
    await store.select(2);
    fake.calls.length = 0;
    expect(await store.resume()).toBeUndefined();
    expect(store.error).toBe('experiments.resume: experiment 2 has no interrupted, cancelled or orphaned queued run');
    expect(store.resuming).toBe(false);
    expect(fake.opsCalled()).toContain('experiments.get');
  });

  it('stops listening on stop', async () => {
    const store = useExperimentsStore();
    await store.start();
    await store.start();
    expect([fake.listenerCount('run'), fake.listenerCount('job')]).toEqual([1, 1]);
    store.stop();
    expect([fake.listenerCount('run'), fake.listenerCount('job')]).toEqual([0, 0]);
  });
});
