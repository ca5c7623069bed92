/** One run in detail: its record and evaluation, the chips of a confusion cell, and the chip inspector. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { methodNeeds, type Method } from '../../../main/engine/config.js';
import { api } from '../api/client.js';
import type { ChipRecord, RunDetail } from '../api/types.js';
import type { ConfusionMode } from '../charts/confusionCharts.js';
import { guarded } from './guard.js';
import { subscriptions } from './subscriptions.js';

export type RankBy = 'entropy' | 'disagreement' | 'wOff' | 'wrongConfident';
export type InspectSource = { kind: 'rank'; by: RankBy } | { kind: 'cell'; trueLabel: number; predictedLabel: number };
export type Stretch = 'linear' | 'db';

export const RANK_LABELS: Record<RankBy, string> = {
  entropy: 'Most uncertain',
  disagreement: 'Teacher–student disagreement',
  wrongConfident: 'Wrong but confident',
  wOff: 'Highest w_off',
};

/**
 * The rankings a run can be reviewed by: teacher–student disagreement needs the offline teacher (KD,
 * AURA-KD), w_off needs both teachers (AURA-KD); the others apply to every run.
 */
export function ranksFor(method: Method | undefined): RankBy[] {
  const needs = method ? methodNeeds(method) : { offline: false, online: false };
  return (Object.keys(RANK_LABELS) as RankBy[]).filter((r) => (r === 'disagreement' ? needs.offline : r === 'wOff' ? needs.offline && needs.online : true));
}

export const CELL_PAGE = 60;
export const INSPECT_PAGE = 100;

export interface CellState {
  trueLabel: number;
  predictedLabel: number;
  total: number;
  items: ChipRecord[];
}

export const useEvaluationStore = defineStore('evaluation', () => {
  const run = shallowRef<RunDetail | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const mode = ref<ConfusionMode>('counts');
  const cell = shallowRef<CellState | null>(null);
  const cellLoading = ref(false);

  const source = shallowRef<InspectSource>({ kind: 'rank', by: 'entropy' });
  const items = shallowRef<ChipRecord[]>([]);
  const itemsTotal = ref(0);
  const index = ref(-1);
  const current = shallowRef<ChipRecord | null>(null);
  const stretch = ref<Stretch>('linear');
  const listLoading = ref(false);
  let listVersion = 0;
  const events = subscriptions();

  const evaluation = computed(() => run.value?.evaluation ?? null);
  const classes = computed(() => evaluation.value?.classes ?? []);

  async function loadRun(runId: number): Promise<void> {
    if (run.value?.id !== runId) {
      run.value = null;
      cell.value = null;
      items.value = [];
      itemsTotal.value = 0;
      index.value = -1;
      current.value = null;
    }
    error.value = null;
    await guarded(error, loading, async () => {
      run.value = await api().call('runs.get', { runId });
    });
  }

  async function openCell(trueLabel: number, predictedLabel: number, offset = 0): Promise<void> {
    const ev = evaluation.value;
    if (!ev) return;
    await guarded(error, cellLoading, async () => {
      const page = await api().call('eval.cellChips', { evaluationId: ev.id, trueLabel, predictedLabel, offset, limit: CELL_PAGE });
      const previous = cell.value && cell.value.trueLabel === trueLabel && cell.value.predictedLabel === predictedLabel && offset > 0 ? cell.value.items : [];
      cell.value = { trueLabel, predictedLabel, total: page.total, items: [...previous, ...page.items] };
    });
  }

  function closeCell(): void {
    cell.value = null;
  }

  async function fetchList(src: InspectSource, offset: number): Promise<{ total: number; items: ChipRecord[] }> {
    const ev = evaluation.value;
    if (!ev) return { total: 0, items: [] };
    if (src.kind === 'rank') return api().call('eval.rank', { evaluationId: ev.id, by: src.by, offset, limit: INSPECT_PAGE });
    return api().call('eval.cellChips', { evaluationId: ev.id, trueLabel: src.trueLabel, predictedLabel: src.predictedLabel, offset, limit: INSPECT_PAGE });
  }

  /** Fill the inspector list from a ranking or a confusion cell; selects `key` if given, else the first chip. */
  async function openList(src: InspectSource, key?: string): Promise<void> {
    source.value = src;
    const version = ++listVersion;
    items.value = [];
    itemsTotal.value = 0;
    index.value = -1;
    await guarded(error, listLoading, async () => {
      const page = await fetchList(src, 0);
      if (version !== listVersion) return;
      items.value = page.items;
      itemsTotal.value = page.total;
      const at = key ? page.items.findIndex((c) => c.key === key) : -1;
      if (at >= 0) select(at);
      else if (key) {
        current.value = await api().call('eval.chip', { evaluationId: evaluation.value!.id, key });
      } else if (page.items.length > 0) select(0);
      else current.value = null;
    });
  }

  async function loadMore(): Promise<void> {
    if (items.value.length >= itemsTotal.value || listLoading.value) return;
    const version = listVersion;
    await guarded(error, listLoading, async () => {
      const page = await fetchList(source.value, items.value.length);
      if (version !== listVersion) return;
      items.value = [...items.value, ...page.items];
      itemsTotal.value = page.total;
    });
  }

  function select(i: number): void {
    if (i < 0 || i >= items.value.length) return;
    index.value = i;
    current.value = items.value[i];
  }

  async function next(): Promise<void> {
    if (index.value + 1 >= items.value.length) await loadMore();
    select(Math.min(items.value.length - 1, index.value + 1));
  }

  function previous(): void {
    select(Math.max(0, index.value - 1));
  }

  function toggleStretch(): void {
    stretch.value = stretch.value === 'linear' ? 'db' : 'linear';
  }

  /** Image URL of an evaluated chip (a sample of the run's dataset). */
  function chipUrl(record: { key: string }, withStretch: Stretch = 'linear'): string {
    const datasetId = run.value?.datasetId;
    if (datasetId === undefined) return '';
    return api().chipUrl({ kind: 'sample', datasetId, key: record.key, stretch: withStretch });
  }

  async function start(): Promise<void> {
    events.take(() => [
      api().on('run', (e) => {
        if (run.value && e.runId === run.value.id && e.status !== run.value.status) void loadRun(e.runId);
      }),
    ]);
  }

  function stop(): void {
    events.drop();
  }

  return {
    run, evaluation, classes, error, loading, mode, cell, cellLoading,
    source, items, itemsTotal, index, current, stretch, listLoading,
    loadRun, openCell, closeCell, openList, loadMore, select, next, previous, toggleStretch, chipUrl, start, stop,
  };
});
