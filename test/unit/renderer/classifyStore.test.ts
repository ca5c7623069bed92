import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import type { ClassificationDto, ClassificationRow, ModelSummary } from '../../../renderer/src/api/types.js';
import { sortRows, useClassifyStore } from '../../../renderer/src/stores/classify.js';
import { FakeApi, flush, makeJob } from './fakeApi.js';

function row(key: string, className: string, confidence: number, entropy: number, flagged = false, lat: number | null = null): ClassificationRow {
  return { key, path: `/in/${key}`, predicted: className === 'a' ? 0 : 1, className, confidence, entropy, probs: [confidence, 1 - confidence], flagged, lat, lon: lat, url: '' };
}

const rows = [row('r1', 'a', 0.9, 0.2), row('r2', 'b', 0.6, 0.9, true), row('r3', 'a', 0.6, 0.5)];
const dto: ClassificationDto = { id: 5, modelId: 1, folder: '/in', classes: ['a', 'b'], status: 'done', createdAt: '2025-01-01T00:00:00Z', rows, skipped: [] };
const model = (id: number, kind: ModelSummary['kind']): ModelSummary => ({ id, runId: 1, runName: 'r', kind, dir: '/m', backbone: 'sarnet', method: 'aurakd', classes: ['a', 'b'], inputSize: 64, channels: 1, intensity: 'linear', normalise: 'chip', accuracy: 0.9, createdAt: '2025-01-01T00:00:00Z' });

describe('sortRows', () => {
  it('sorts by a column with file order breaking ties', () => {
    expect(sortRows(rows, 'confidence', 'desc', false, null).map((r) => r.key)).toEqual(['r1', 'r2', 'r3']);
    expect(sortRows(rows, 'confidence', 'asc', false, null).map((r) => r.key)).toEqual(['r2', 'r3', 'r1']);
    expect(sortRows(rows, 'entropy', 'desc', false, null).map((r) => r.key)).toEqual(['r2', 'r3', 'r1']);
    expect(sortRows(rows, 'className', 'asc', false, null).map((r) => r.key)).toEqual(['r1', 'r3', 'r2']);
  });

  it('filters flagged rows and one class', () => {
    expect(sortRows(rows, 'key', 'asc', true, null).map((r) => r.key)).toEqual(['r2']);
    expect(sortRows(rows, 'key', 'desc', false, 'a').map((r) => r.key)).toEqual(['r3', 'r1']);
  });
});

describe('classify store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'models.list': () => [model(1, 'student'), model(2, 'teacher'), model(3, 'imported')],
      'classify.list': () => [],
      'classify.start': () => ({ classificationId: 5, job: makeJob({ id: 'cj', kind: 'classify', status: 'running', classificationId: 5 }) }),
      'classify.get': () => dto,
      'classify.flag': ({ key, flagged }) => ({ ...rows.find((r) => r.key === key)!, flagged }),
      'classify.export': ({ format }) => ({ filename: `c5.${format}`, mimeType: 'text/csv', content: 'key,class\n' }),
    });
    setApiClient(fake);
  });

  it('offers student and imported models', async () => {
    const store = useClassifyStore();
    await store.start();
    expect(store.usableModels.map((m) => m.id)).toEqual([1, 3]);
  });

  it('validates input, runs the job and opens the result when it is done', async () => {
    const store = useClassifyStore();
    await store.start();
    await store.classify(null, '/in');
    expect(store.error).toBe('Pick a model.');
    await store.classify(1, '  ');
    expect(store.error).toBe('Enter the folder of chips to classify.');
    await store.classify(1, ' /in ');
    expect(fake.calls.find((c) => c.op === 'classify.start')?.input).toEqual({ modelId: 1, folder: '/in' });
    expect(store.running).toBe(true);
    fake.emit('job', makeJob({ id: 'cj', kind: 'classify', status: 'done', classificationId: 5, fraction: 1 }));
    await flush();
    expect(store.running).toBe(false);
    expect(store.current?.id).toBe(5);
    expect(store.rows.map((r) => r.key)).toEqual(['r2', 'r3', 'r1']); // default: most uncertain first
    expect(store.hasCoordinates).toBe(false);
  });

  it('flags a row and exports', async () => {
    const store = useClassifyStore();
    await store.open(5);
    await store.flag('r1', true);
    expect(store.flaggedCount).toBe(2);
    store.flaggedOnly = true;
    expect(store.rows.map((r) => r.key).sort()).toEqual(['r1', 'r2']);
    expect(await store.exportAs('csv')).toEqual({ filename: 'c5.csv', mimeType: 'text/csv', content: 'key,class\n' });
    expect(store.rowUrl(rows[0], 'db')).toBe('chip://classified/5?key=r1&stretch=db');
  });

  it('deletes the open classification and refreshes the list; a refusal stays readable', async () => {
    let listed = [{ ...dto, rows: undefined }];
    fake.handlers['classify.list'] = () => listed.map(({ rows: _, ...c }) => c);
    fake.handlers['classify.delete'] = ({ classificationId }) => {
      listed = listed.filter((c) => c.id !== classificationId);
      return { deleted: true as const };
    };
    const store = useClassifyStore();
    await store.loadHistory();
    await store.open(5);
    expect(store.history.map((c) => c.id)).toEqual([5]);
    expect(await store.remove(5)).toBe(true);
    expect(store.current).toBeNull();
    expect(store.history).toEqual([]);
    fake.handlers['classify.delete'] = () => {
      throw new Error('classify.delete: classification 6 is running; cancel it first');
    };
    expect(await store.remove(6)).toBe(false);
    expect(store.error).toBe('classify.delete: classification 6 is running; cancel it first');
  });

  it('knows when rows carry coordinates', async () => {
    fake.handlers['classify.get'] = () => ({ ...dto, rows: [row('g', 'a', 0.5, 0.5, false, 12.5)] });
    const store = useClassifyStore();
    await store.open(5);
    expect(store.hasCoordinates).toBe(true);
  });

  it('shows a failed job’s error', async () => {
    const store = useClassifyStore();
    await store.start();
    await store.classify(1, '/in');
    fake.emit('job', makeJob({ id: 'cj', kind: 'classify', status: 'failed', error: 'classify.start: no readable chips in /in' }));
    expect(store.error).toBe('classify.start: no readable chips in /in');
  });
});
