import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setApiClient } from '../../../renderer/src/api/client.js';
import type { ChipRecord } from '../../../renderer/src/api/types.js';
import { CELL_PAGE, INSPECT_PAGE, ranksFor, useEvaluationStore } from '../../../renderer/src/stores/evaluation.js';
import { FakeApi, flush, makeRunDetail } from './fakeApi.js';

function record(key: string): ChipRecord {
  return {
    key,
    label: 0,
    predicted: 1,
    correct: false,
    student: [0.3, 0.7],
    offline: [0.6, 0.4],
    online: [0.4, 0.6],
    entropyStudent: 0.88,
    entropyOffline: 0.97,
    entropyOnline: 0.97,
    wOff: 0.6,
    wOn: 0.4,
    offlineCorrect: true,
    onlineCorrect: false,
    evaluationId: 7,
    className: 'a',
    predictedName: 'b',
    width: 64,
    height: 64,
    url: '',
  };
}

describe('evaluation store', () => {
  let fake: FakeApi;
  beforeEach(() => {
    setActivePinia(createPinia());
    fake = new FakeApi({
      'runs.get': ({ runId }) => makeRunDetail({ id: runId, datasetId: 4 }),
      'eval.cellChips': ({ offset = 0 }) => ({ total: 3, offset, items: offset === 0 ? [record('c0'), record('c1')] : [record('c2')] }),
      'eval.rank': ({ offset = 0, by }) => ({ total: 3, offset, items: offset === 0 ? [record(`${by}0`), record(`${by}1`)] : [record(`${by}2`)] }),
      'eval.chip': ({ key }) => record(key),
    });
    setApiClient(fake);
  });

  it('loads a run and opens a confusion cell page by page', async () => {
    const store = useEvaluationStore();
    await store.loadRun(1);
    expect(store.classes).toEqual(['a', 'b']);
    await store.openCell(0, 1);
    expect(fake.calls[1]).toEqual({ op: 'eval.cellChips', input: { evaluationId: 7, trueLabel: 0, predictedLabel: 1, offset: 0, limit: CELL_PAGE } });
    expect(store.cell?.items.map((c) => c.key)).toEqual(['c0', 'c1']);
    await store.openCell(0, 1, 2);
    expect(store.cell?.items.map((c) => c.key)).toEqual(['c0', 'c1', 'c2']);
    expect(store.cell?.total).toBe(3);
  });

  it('walks a ranking with next/previous, loading more at the end', async () => {
    const store = useEvaluationStore();
    await store.loadRun(1);
    await store.openList({ kind: 'rank', by: 'wrongConfident' });
    expect(fake.calls[1].input).toEqual({ evaluationId: 7, by: 'wrongConfident', offset: 0, limit: INSPECT_PAGE });
    expect(store.current?.key).toBe('wrongConfident0');
    await store.next();
    await store.next();
    expect(store.current?.key).toBe('wrongConfident2');
    expect(store.items).toHaveLength(3);
    await store.next();
    expect(store.index).toBe(2);
    store.previous();
    expect(store.current?.key).toBe('wrongConfident1');
  });

  it('opens a chip by key, from the list or fetched alone', async () => {
    const store = useEvaluationStore();
    await store.loadRun(1);
    await store.openList({ kind: 'cell', trueLabel: 0, predictedLabel: 1 }, 'c1');
    expect(store.index).toBe(1);
    await store.openList({ kind: 'rank', by: 'entropy' }, 'elsewhere');
    expect(store.index).toBe(-1);
    expect(store.current?.key).toBe('elsewhere');
    expect(fake.opsCalled().pop()).toBe('eval.chip');
  });

  it('builds image URLs on the run’s dataset with the chosen stretch', async () => {
    const store = useEvaluationStore();
    await store.loadRun(1);
    expect(store.chipUrl({ key: 'T72/a.png' }, 'db')).toBe('chip://sample/4?key=T72%2Fa.png&stretch=db');
    store.toggleStretch();
    expect(store.stretch).toBe('db');
  });

  it('reloads the run when its status changes', async () => {
    const store = useEvaluationStore();
    await store.loadRun(1);
    await store.start();
    fake.emit('run', { runId: 1, status: 'done' });
    fake.emit('run', { runId: 2, status: 'failed' });
    expect(fake.opsCalled()).toEqual(['runs.get']);
    fake.emit('run', { runId: 1, status: 'failed' });
    await flush();
    expect(fake.opsCalled()).toEqual(['runs.get', 'runs.get']);
    store.stop();
  });

  it('reports a missing run', async () => {
    fake.handlers['runs.get'] = () => {
      throw new Error('runs.get: run 5 not found');
    };
    const store = useEvaluationStore();
    await store.loadRun(5);
    expect(store.error).toBe('runs.get: run 5 not found');
    expect(store.run).toBeNull();
  });

  it('offers only the rankings a run’s method has data for', () => {
    expect(ranksFor('aurakd')).toEqual(['entropy', 'disagreement', 'wrongConfident', 'wOff']);
    expect(ranksFor('kd')).toEqual(['entropy', 'disagreement', 'wrongConfident']);
    expect(ranksFor('selfkd')).toEqual(['entropy', 'wrongConfident']);
    expect(ranksFor('ce')).toEqual(['entropy', 'wrongConfident']);
  });
});
