import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import type { BatchProgress, EpochMetrics } from '../../../renderer/src/api/types.js';
import { useLiveStore } from '../../../renderer/src/stores/live.js';
import { FakeApi, makeJob, makeRun } from './fakeApi.js';

const stored: EpochMetrics = {
  phase: 'teacher',
  epoch: 1,
  loss: { total: 1, ce: 1, off: 0, on: 0 },
  wOff: { mean: 0, std: 0 },
  trainAccuracy: 0.4,
  valAccuracy: 0.5,
  valLoss: 1,
  chipsPerSec: 10,
  seconds: 2,
  learningRate: 1e-3,
};

function progress(batch: number): BatchProgress {
  return {
    kind: 'batch',
    phase: 'student',
    epoch: 1,
    epochs: 2,
    batch,
    batches: 4,
    loss: { total: 2, ce: 1.5, off: 0.4, on: 0.1 },
    wOff: { mean: 0.9, std: 0.05 },
    accuracy: 0.5,
    chipsPerSec: 30,
    etaSec: 40,
  };
}

describe('live store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'runs.curves': () => [stored],
      'jobs.list': () => [makeJob({ id: 'old', runId: 3, status: 'failed', createdAt: '2025-01-01T00:00:00Z' }), makeJob({ id: 'j', runId: 3, status: 'running', createdAt: '2025-01-02T00:00:00Z', train: progress(1) })],
      'runs.cancel': ({ runId }) => makeRun({ id: runId, status: 'cancelled' }),
    });
    setApiClient(fake);
  });

  it('starts from stored curves and the run’s newest job', async () => {
    const store = useLiveStore();
    await store.follow(3);
    expect(store.job?.id).toBe('j');
    expect(store.active).toBe(true);
    expect(store.series.epochs).toEqual([stored]);
    expect(store.series.batches.map((b) => b.x)).toEqual([0.25]);
    expect(store.phases).toEqual(['teacher', 'student']);
    expect(store.phase).toBe('student');
  });

  it('adds progress from the run’s job events only', async () => {
    const store = useLiveStore();
    await store.follow(3);
    fake.emit('job', makeJob({ id: 'x', runId: 4, train: progress(2), createdAt: '2025-01-03T00:00:00Z' }));
    fake.emit('job', makeJob({ id: 'j', runId: 3, train: progress(2), fraction: 0.4, etaSec: 33, createdAt: '2025-01-02T00:00:00Z' }));
    expect(store.series.batches.map((b) => b.x)).toEqual([0.25, 0.5]);
    expect(store.job?.etaSec).toBe(33);
    fake.emit('job', makeJob({ id: 'j', runId: 3, status: 'done', fraction: 1, train: progress(2), createdAt: '2025-01-02T00:00:00Z' }));
    expect(store.active).toBe(false);
  });

  it('lets the analyst pin a phase', async () => {
    const store = useLiveStore();
    await store.follow(3);
    store.showPhase('teacher');
    fake.emit('job', makeJob({ id: 'j', runId: 3, train: progress(3), createdAt: '2025-01-02T00:00:00Z' }));
    expect(store.phase).toBe('teacher');
  });

  it('unsubscribes when it stops following and cancels through the API', async () => {
    const store = useLiveStore();
    await store.follow(3);
    await store.cancel();
    expect(fake.calls.pop()).toEqual({ op: 'runs.cancel', input: { runId: 3 } });
    store.unfollow();
    expect(fake.listenerCount('job')).toBe(0);
  });
});
