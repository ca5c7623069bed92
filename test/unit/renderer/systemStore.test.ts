import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import { useSystemStore } from '../../../renderer/src/stores/system.js';
import { FakeApi, flush, makeJob } from './fakeApi.js';

const info = {
  backend: { name: 'wasm' as const, threads: 2, simd: true, detail: 'wasm SIMD, 2 threads' },
  versions: { app: '0.1.0', node: '20', tfjs: '4.22.0', sqlite: '3.45', electron: null },
  paths: { dataDir: '/d', database: '/d/db', models: '/d/m' },
};

describe('system store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'system.info': () => info,
      'jobs.list': () => [makeJob({ id: 'a', status: 'done', createdAt: '2025-01-01T00:00:00Z' }), makeJob({ id: 'b', status: 'running', createdAt: '2025-01-02T00:00:00Z', runId: 3 })],
      'jobs.cancel': ({ jobId }) => makeJob({ id: jobId, status: 'cancelled' }),
    });
    setApiClient(fake);
  });

  it('loads the backend and jobs, newest first, and tracks active ones', async () => {
    const store = useSystemStore();
    await store.start();
    expect(store.info?.backend?.name).toBe('wasm');
    expect(store.jobList.map((j) => j.id)).toEqual(['b', 'a']);
    expect(store.activeJobs.map((j) => j.id)).toEqual(['b']);
    expect(store.jobForRun(3)?.id).toBe('b');
    expect(store.jobForRun(99)).toBeNull();
  });

  it('updates jobs from events and subscribes only once', async () => {
    const store = useSystemStore();
    await store.start();
    await store.start();
    expect(fake.listenerCount('job')).toBe(1);
    fake.emit('job', makeJob({ id: 'b', status: 'done', runId: 3, createdAt: '2025-01-02T00:00:00Z' }));
    fake.emit('job', makeJob({ id: 'c', status: 'queued', createdAt: '2025-01-03T00:00:00Z' }));
    expect(store.activeJobs.map((j) => j.id)).toEqual(['c']);
    store.stop();
    expect(fake.listenerCount('job')).toBe(0);
  });

  it('keeps at most 50 finished jobs', async () => {
    const store = useSystemStore();
    await store.start();
    for (let i = 0; i < 60; i++) store.upsertJob(makeJob({ id: `d${i}`, status: 'done', createdAt: `2025-02-01T00:00:${String(i).padStart(2, '0')}Z` }));
    const finished = store.jobList.filter((j) => j.status === 'done');
    expect(finished).toHaveLength(50);
    expect(finished[0].id).toBe('d59');
    expect(store.jobList.some((j) => j.id === 'b')).toBe(true);
  });

  it('reloads after the connection comes back', async () => {
    const store = useSystemStore();
    await store.start();
    const before = fake.calls.length;
    fake.setConnection('closed');
    expect(store.connection).toBe('closed');
    fake.setConnection('open');
    await flush();
    expect(fake.opsCalled().slice(before)).toEqual(['system.info', 'jobs.list']);
  });

  it('shows a readable error when loading fails', async () => {
    fake.handlers['system.info'] = () => {
      throw new Error('backend crashed');
    };
    const store = useSystemStore();
    await store.start();
    expect(store.error).toBe('backend crashed');
  });

  it('cancels a job and stores the returned snapshot', async () => {
    const store = useSystemStore();
    await store.start();
    await store.cancelJob('b');
    expect(store.jobs.b.status).toBe('cancelled');
  });
});
