import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import { MAX_COMPARE, RUNS_PAGE, useRunsStore } from '../../../renderer/src/stores/runs.js';
import { useCompareStore } from '../../../renderer/src/stores/compare.js';
import { FakeApi, makeJob, makeRun, makeRunDetail } from './fakeApi.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../main/engine/config.js';

describe('runs store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'runs.list': ({ offset = 0, limit = 100 }) => ({
        total: 120,
        offset,
        items: Array.from({ length: Math.min(limit, 120 - offset) }, (_, i) => makeRun({ id: offset + i + 1, tags: [i % 2 === 0 ? 'b' : 'a'] })),
      }),
      'runs.tag': ({ runId, add = [], remove = [] }) => makeRun({ id: runId, tags: ['b', ...add].filter((t) => !remove.includes(t)) }),
      'runs.note': ({ runId, note }) => makeRun({ id: runId, note }),
      'runs.delete': () => ({ deleted: true as const, classificationsDeleted: 0 }),
      'runs.cancel': ({ runId }) => makeRun({ id: runId, status: 'cancelled' }),
      'runs.resume': ({ runId }) => ({ runId, job: makeJob({ runId }) }),
      'runs.retrain': () => ({ runId: 77, job: makeJob({ runId: 77 }) }),
    });
    setApiClient(fake);
  });
  afterEach(() => vi.useRealTimers());

  const lastListInput = () => fake.calls.filter((c) => c.op === 'runs.list').pop()?.input;

  it('lists with filters, search and sort, collecting known tags', async () => {
    const store = useRunsStore();
    await store.start();
    expect(lastListInput()).toEqual({ datasetId: undefined, method: undefined, status: undefined, tag: undefined, search: undefined, sortBy: 'createdAt', sortDir: 'desc', offset: 0, limit: RUNS_PAGE });
    await store.setFilters({ datasetId: 2, method: 'kd', status: 'done', tag: 'a', search: '  tau ' });
    expect(lastListInput()).toMatchObject({ datasetId: 2, method: 'kd', status: 'done', tag: 'a', search: 'tau' });
    expect(store.knownTags).toEqual(['a', 'b']);
  });

  it('sorts on a column and flips direction on a second click', async () => {
    const store = useRunsStore();
    await store.sortOn('testAccuracy');
    expect(lastListInput()).toMatchObject({ sortBy: 'testAccuracy', sortDir: 'desc' });
    await store.sortOn('testAccuracy');
    expect(lastListInput()).toMatchObject({ sortBy: 'testAccuracy', sortDir: 'asc' });
    await store.sortOn('ece');
    expect(lastListInput()).toMatchObject({ sortBy: 'ece', sortDir: 'asc' });
  });

  it('pages through results', async () => {
    const store = useRunsStore();
    await store.load();
    expect(store.hasPrev).toBe(false);
    await store.nextPage();
    expect(lastListInput()).toMatchObject({ offset: 50 });
    await store.nextPage();
    await store.nextPage();
    expect(lastListInput()).toMatchObject({ offset: 100 });
    await store.prevPage();
    expect(lastListInput()).toMatchObject({ offset: 50 });
  });

  it('selects up to the compare limit', async () => {
    const store = useRunsStore();
    for (let id = 1; id <= MAX_COMPARE; id++) store.toggleSelected(id);
    store.toggleSelected(99);
    expect(store.selection).toHaveLength(MAX_COMPARE);
    expect(store.error).toBe(`At most ${MAX_COMPARE} runs can be compared at once.`);
    store.toggleSelected(3);
    expect(store.selection).not.toContain(3);
  });

  it('tags, notes, cancels and deletes, updating rows in place', async () => {
    const store = useRunsStore();
    await store.load();
    await store.addTag(1, '  best ');
    expect(fake.calls.find((c) => c.op === 'runs.tag')?.input).toEqual({ runId: 1, add: ['best'], remove: [] });
    expect(store.runs[0].tags).toEqual(['b', 'best']);
    await store.removeTag(1, 'b');
    expect(store.runs[0].tags).toEqual([]);
    await store.setNote(2, 'looks good');
    expect(store.runs[1].note).toBe('looks good');
    await store.cancel(2);
    expect(store.runs[1].status).toBe('cancelled');
    store.toggleSelected(2);
    expect(await store.remove(2)).toBe(true);
    expect(store.selection).toEqual([]);
    expect(await store.resume(5)).toBe(5);
    expect(await store.retrain(5, 3, ' again ')).toBe(77);
    expect(fake.calls.find((c) => c.op === 'runs.retrain')?.input).toEqual({ runId: 5, datasetId: 3, name: 'again' });
  });

  it('reloads (debounced) when runs change', async () => {
    vi.useFakeTimers();
    const store = useRunsStore();
    await store.start();
    const before = fake.calls.length;
    fake.emit('run', { runId: 1, status: 'running' });
    fake.emit('run', { runId: 1, status: 'done' });
    await vi.advanceTimersByTimeAsync(350);
    expect(fake.calls.length - before).toBe(1);
    store.stop();
  });

  it('shows a queued run as running once its job runs, and reloads when the job ends', async () => {
    vi.useFakeTimers();
    fake.handlers['runs.list'] = () => ({ total: 1, offset: 0, items: [makeRun({ id: 4, status: 'queued' })] });
    const store = useRunsStore();
    await store.start();
    fake.emit('job', makeJob({ runId: 4, status: 'running' }));
    expect(store.runs[0].status).toBe('running');
    fake.emit('job', makeJob({ runId: 99, status: 'running' }));
    fake.emit('job', makeJob({ kind: 'import', runId: null, status: 'done' }));
    const before = fake.calls.length;
    fake.emit('job', makeJob({ runId: 4, status: 'done' }));
    await vi.advanceTimersByTimeAsync(350);
    expect(fake.calls.length - before).toBe(1);
    expect(store.runs[0].status).toBe('queued'); // what the reloaded list says
    store.stop();
  });

  it('counts the classifications made with a run’s models, and deletes it with them on request', async () => {
    const model = { id: 11, runId: 3, runName: 'r', kind: 'student' as const, dir: '/m', backbone: 'sarnet', method: 'kd' as const, classes: ['a'], inputSize: 64, channels: 1, intensity: 'linear' as const, normalise: 'chip' as const, accuracy: 0.9, createdAt: '2025-01-01T00:00:00Z' };
    fake.handlers['runs.get'] = ({ runId }) => makeRunDetail({ id: runId, models: [model] });
    fake.handlers['classify.list'] = () =>
      [11, 12, 11].map((modelId, i) => ({ id: i + 1, modelId, folder: '/in', classes: ['a'], status: 'done' as const, createdAt: '2025-01-01T00:00:00Z' }));
    const store = useRunsStore();
    expect(await store.classificationsOf(3)).toBe(2);
    expect(await store.remove(3, true)).toBe(true);
    expect(fake.calls.find((c) => c.op === 'runs.delete')?.input).toEqual({ runId: 3, cascade: true });
    expect(await store.remove(4)).toBe(true);
    expect(fake.calls.filter((c) => c.op === 'runs.delete').at(-1)?.input).toEqual({ runId: 4, cascade: false });
  });

  it('turns an API failure into a readable error', async () => {
    fake.handlers['runs.delete'] = () => {
      throw new Error('runs.delete: run 2 is running; cancel it first');
    };
    const store = useRunsStore();
    expect(await store.remove(2)).toBe(false);
    expect(store.error).toBe('runs.delete: run 2 is running; cancel it first');
  });
});

describe('compare store', () => {
  it('compares unique ids and exposes τ sweep points', async () => {
    setActivePinia(createPinia());
    const runs = [1, 2].map((id) => makeRunDetail({ id, testAccuracy: [0.81, 0.82][id - 1], config: { ...DEFAULT_TRAIN_CONFIG, distill: { ...DEFAULT_TRAIN_CONFIG.distill, tau: id * 2 } } }));
    const fake = new FakeApi({ 'runs.compare': () => ({ runs, configDiff: [{ key: 'distill.tau', values: [2, 4] }], paired: [] }) });
    setApiClient(fake);
    const store = useCompareStore();
    await store.load([2, 1, 2]);
    expect(fake.calls[0].input).toEqual({ runIds: [2, 1] });
    expect(store.tauPoints.map((p) => [p.tau, p.accuracy])).toEqual([
      [2, 0.81],
      [4, 0.82],
    ]);
    expect(store.diffPair).toEqual([0, 1]);
    await store.load([3]);
    expect(store.error).toBe('Pick at least two runs to compare.');
    expect(store.result).toBeNull();
  });
});
