/** Run history: the filtered, sorted page of runs, the selection to compare, and run actions. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { ApiInput, JobSnapshot, Method, Page, RunStatus, RunSummary } from '../api/types.js';
import { guarded } from './guard.js';
import { debounced, subscriptions } from './subscriptions.js';

export type RunSortKey = ApiInput<'runs.list'>['sortBy'] & string;

export interface RunFilters {
  datasetId: number | null;
  method: Method | null;
  status: RunStatus | null;
  tag: string | null;
  search: string;
}

export const RUNS_PAGE = 50;
export const MAX_COMPARE = 8;

export const useRunsStore = defineStore('runs', () => {
  const filters = ref<RunFilters>({ datasetId: null, method: null, status: null, tag: null, search: '' });
  const sortBy = ref<RunSortKey>('createdAt');
  const sortDir = ref<'asc' | 'desc'>('desc');
  const offset = ref(0);
  const page = shallowRef<Page<RunSummary>>({ total: 0, offset: 0, items: [] });
  const selection = ref<number[]>([]);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const knownTags = ref<string[]>([]);
  const events = subscriptions();
  let requestNo = 0;

  const runs = computed(() => page.value.items);
  const hasNext = computed(() => page.value.offset + page.value.items.length < page.value.total);
  const hasPrev = computed(() => offset.value > 0);

  async function load(): Promise<void> {
    const mine = ++requestNo;
    const f = filters.value;
    await guarded(error, loading, async () => {
      const result = await api().call('runs.list', {
        datasetId: f.datasetId ?? undefined,
        method: f.method ?? undefined,
        status: f.status ?? undefined,
        tag: f.tag ?? undefined,
        search: f.search.trim() || undefined,
        sortBy: sortBy.value,
        sortDir: sortDir.value,
        offset: offset.value,
        limit: RUNS_PAGE,
      });
      if (mine !== requestNo) return;
      page.value = result;
      rememberTags(result.items);
      error.value = null;
    });
  }

  function rememberTags(items: RunSummary[]): void {
    const all = new Set(knownTags.value);
    for (const run of items) for (const t of run.tags) all.add(t);
    knownTags.value = [...all].sort();
  }

  async function setFilters(next: Partial<RunFilters>): Promise<void> {
    filters.value = { ...filters.value, ...next };
    offset.value = 0;
    await load();
  }

  /** Click on a column: sort by it, or flip the direction when it is already the sort column. */
  async function sortOn(key: RunSortKey): Promise<void> {
    if (sortBy.value === key) sortDir.value = sortDir.value === 'asc' ? 'desc' : 'asc';
    else {
      sortBy.value = key;
      sortDir.value = key === 'name' || key === 'ece' || key === 'durationSec' ? 'asc' : 'desc';
    }
    offset.value = 0;
    await load();
  }

  async function nextPage(): Promise<void> {
    if (!hasNext.value) return;
    offset.value += RUNS_PAGE;
    await load();
  }

  async function prevPage(): Promise<void> {
    if (!hasPrev.value) return;
    offset.value = Math.max(0, offset.value - RUNS_PAGE);
    await load();
  }

  function toggleSelected(runId: number): void {
    if (selection.value.includes(runId)) selection.value = selection.value.filter((id) => id !== runId);
    else if (selection.value.length >= MAX_COMPARE) error.value = `At most ${MAX_COMPARE} runs can be compared at once.`;
    else selection.value = [...selection.value, runId];
  }

  function clearSelection(): void {
    selection.value = [];
  }

  function replaceRun(run: RunSummary): void {
    page.value = { ...page.value, items: page.value.items.map((r) => (r.id === run.id ? run : r)) };
    rememberTags([run]);
  }

  async function addTag(runId: number, tag: string): Promise<void> {
    const clean = tag.trim();
    if (!clean) return;
    await guarded(error, null, async () => replaceRun(await api().call('runs.tag', { runId, add: [clean], remove: [] })));
  }

  async function removeTag(runId: number, tag: string): Promise<void> {
    await guarded(error, null, async () => replaceRun(await api().call('runs.tag', { runId, add: [], remove: [tag] })));
  }

  async function setNote(runId: number, note: string): Promise<void> {
    await guarded(error, null, async () => replaceRun(await api().call('runs.note', { runId, note })));
  }

  /** How many classifications were made with a run's saved models (deleting the run deletes them too). */
  async function classificationsOf(runId: number): Promise<number> {
    const n = await guarded(error, null, async () => {
      const [detail, all] = await Promise.all([api().call('runs.get', { runId }), api().call('classify.list', {})]);
      const models = new Set(detail.models.map((m) => m.id));
      return all.filter((c) => models.has(c.modelId)).length;
    });
    return n ?? 0;
  }

  /** Deletes a run; `cascade` also deletes the classifications made with its models (refused without it). */
  async function remove(runId: number, cascade = false): Promise<boolean> {
    const ok = await guarded(error, null, async () => {
      await api().call('runs.delete', { runId, cascade });
      return true;
    });
    if (ok) {
      selection.value = selection.value.filter((id) => id !== runId);
      await load();
    }
    return ok === true;
  }

  async function cancel(runId: number): Promise<void> {
    await guarded(error, null, async () => replaceRun(await api().call('runs.cancel', { runId })));
  }

  async function resume(runId: number): Promise<number | undefined> {
    return guarded(error, null, async () => (await api().call('runs.resume', { runId })).runId);
  }

  async function retrain(runId: number, datasetId: number, name?: string): Promise<number | undefined> {
    return guarded(error, null, async () => (await api().call('runs.retrain', { runId, datasetId, name: name?.trim() || undefined })).runId);
  }

  const scheduleReload = debounced(() => void load(), 300);

  /**
   * Training jobs move faster than the stored run rows: a row still 'queued' whose job runs is shown
   * running at once, and a job that ends reloads the page (its metrics are in by then).
   */
  function onJob(job: JobSnapshot): void {
    if (job.kind !== 'train' || job.runId === null) return;
    const row = page.value.items.find((r) => r.id === job.runId);
    if (!row) return;
    if (job.status === 'running' && row.status === 'queued') replaceRun({ ...row, status: 'running' });
    else if ((job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') && (row.status === 'queued' || row.status === 'running')) scheduleReload();
  }

  async function start(): Promise<void> {
    events.take(() => [api().on('run', scheduleReload), api().on('job', onJob)]);
    await load();
  }

  function stop(): void {
    events.drop();
    scheduleReload.cancel();
  }

  return {
    filters, sortBy, sortDir, offset, page, runs, hasNext, hasPrev, selection, error, loading, knownTags,
    start, stop, load, setFilters, sortOn, nextPage, prevPage, toggleSelected, clearSelection,
    addTag, removeTag, setNote, classificationsOf, remove, cancel, resume, retrain, onJob,
  };
});
