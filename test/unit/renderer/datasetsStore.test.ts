import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import type { ChipItem, DatasetDetail, DatasetSummary } from '../../../renderer/src/api/types.js';
import { GALLERY_PAGE, useDatasetsStore } from '../../../renderer/src/stores/datasets.js';
import { FakeApi, flush, makeJob } from './fakeApi.js';
import { DEFAULT_PREPROCESS } from '../../../main/engine/config.js';

function summary(id: number): DatasetSummary {
  return {
    id,
    name: `ds${id}`,
    root: `/data/${id}`,
    layout: 'class',
    classes: ['a', 'b'],
    preprocess: DEFAULT_PREPROCESS,
    contentHash: 'h',
    createdAt: '2025-01-01T00:00:00Z',
    sampleCount: 300,
    splitCounts: { train: 200, val: 50, test: 50 },
    skipped: [],
  };
}

function detail(id: number): DatasetDetail {
  return { ...summary(id), classCounts: { train: [100, 100], val: [25, 25], test: [25, 25] }, sizeHistogram: [{ size: '64x64', count: 300 }], runCount: 0 };
}

function chip(i: number): ChipItem {
  return { key: `k${i}`, className: 'a', label: 0, split: 'train', width: 64, height: 64, channels: 1, url: '' };
}

describe('datasets store', () => {
  let fake: FakeApi;
  let datasets: DatasetSummary[];
  beforeEach(() => {
    setActivePinia(createPinia());
    datasets = [summary(1)];
    fake = new FakeApi({
      'datasets.list': () => datasets,
      'datasets.get': ({ datasetId }) => detail(datasetId),
      'datasets.chips': ({ offset = 0, limit = 100 }) => ({ total: 300, offset, items: Array.from({ length: Math.min(limit, 300 - offset) }, (_, i) => chip(offset + i)) }),
      'datasets.import': () => makeJob({ id: 'imp', kind: 'import', status: 'running' }),
      'datasets.importDemo': () => makeJob({ id: 'demo', kind: 'import', status: 'queued' }),
      'datasets.delete': () => ({ deleted: true as const, runsDeleted: 2, classificationsDeleted: 0 }),
    });
    setApiClient(fake);
  });

  it('selects a dataset and loads its detail and first gallery page', async () => {
    const store = useDatasetsStore();
    await store.start();
    await store.select(1);
    expect(store.detail?.classCounts.train).toEqual([100, 100]);
    expect(store.total).toBe(300);
    expect(store.chips.length).toBe(300);
    expect(store.chips[0]?.key).toBe('k0');
    expect(store.chips[GALLERY_PAGE]).toBeUndefined();
  });

  it('loads missing pages for a visible range once', async () => {
    const store = useDatasetsStore();
    await store.select(1);
    await Promise.all([store.ensureRange(100, 250), store.ensureRange(200, 250)]);
    expect(store.chips[249]?.key).toBe('k249');
    const pageCalls = fake.calls.filter((c) => c.op === 'datasets.chips').map((c) => (c.input as { offset: number }).offset);
    expect(pageCalls).toEqual([0, 120, 240]);
  });

  it('passes the class and split filter and starts the gallery over', async () => {
    const store = useDatasetsStore();
    await store.select(1);
    await store.setFilter({ className: 'b', split: 'test' });
    const last = fake.calls[fake.calls.length - 1];
    expect(last).toEqual({ op: 'datasets.chips', input: { datasetId: 1, className: 'b', split: 'test', offset: 0, limit: GALLERY_PAGE } });
  });

  it('follows an import job to the new dataset', async () => {
    const store = useDatasetsStore();
    await store.start();
    await store.importFolder({ root: '  /data/new  ', name: ' ' });
    expect(fake.calls.find((c) => c.op === 'datasets.import')?.input).toEqual({ root: '/data/new', name: undefined });
    expect(store.importing).toBe(true);
    fake.emit('job', makeJob({ id: 'other', kind: 'import', status: 'done', datasetId: 9 }));
    expect(store.importJob?.id).toBe('imp');
    datasets = [summary(1), summary(2)];
    fake.emit('job', makeJob({ id: 'imp', kind: 'import', status: 'done', datasetId: 2, fraction: 1 }));
    await flush();
    expect(store.importing).toBe(false);
    expect(store.selectedId).toBe(2);
    expect(store.detail?.id).toBe(2);
  });

  it('reports a failed import and refuses an empty folder', async () => {
    const store = useDatasetsStore();
    await store.importFolder({ root: '   ' });
    expect(store.error).toBe('Enter the folder to import.');
    await store.importDemo();
    expect(store.error).toBeNull();
    fake.emit('job', makeJob({ id: 'demo', kind: 'import', status: 'failed', error: 'disk full' }));
    expect(store.error).toBe('disk full');
  });

  it('deletes a dataset and clears the selection', async () => {
    const store = useDatasetsStore();
    await store.select(1);
    datasets = [];
    expect(await store.remove(1, true)).toBe(true);
    expect(fake.calls.find((c) => c.op === 'datasets.delete')?.input).toEqual({ datasetId: 1, cascade: true });
    expect(store.selectedId).toBeNull();
    expect(store.list).toEqual([]);
  });

  it('drops a gallery page that arrives after the filter changed', async () => {
    const store = useDatasetsStore();
    await store.select(1);
    let release: () => void = () => undefined;
    fake.handlers['datasets.chips'] = ({ offset = 0 }) =>
      new Promise((resolve) => {
        release = () => resolve({ total: 300, offset, items: [chip(999)] });
      });
    const stale = store.ensureRange(120, 130);
    await flush();
    fake.handlers['datasets.chips'] = ({ offset = 0 }) => ({ total: 2, offset, items: [chip(0), chip(1)] });
    await store.setFilter({ split: 'val' });
    release();
    await stale;
    expect(store.total).toBe(2);
    expect(store.chips.map((c) => c?.key)).toEqual(['k0', 'k1']);
  });
});
