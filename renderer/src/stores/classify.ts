/** Classify a folder of new chips with a saved model: the job, the prediction table, flags and export. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { ApiResponse, ClassificationDto, ClassificationRow, JobSnapshot, ModelSummary } from '../api/types.js';
import { guarded } from './guard.js';
import { subscriptions } from './subscriptions.js';

export type ClassifySortKey = 'key' | 'className' | 'confidence' | 'entropy' | 'flagged';
export type ClassificationListItem = ApiResponse<'classify.list'>[number];

/** Rows filtered (flagged only, one class) and sorted; ties keep file order. */
export function sortRows(rows: ClassificationRow[], key: ClassifySortKey, dir: 'asc' | 'desc', flaggedOnly: boolean, className: string | null): ClassificationRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const filtered = rows
    .map((row, i) => ({ row, i }))
    .filter(({ row }) => (!flaggedOnly || row.flagged) && (className === null || row.className === className));
  filtered.sort((a, b) => {
    let d = 0;
    if (key === 'key' || key === 'className') d = a.row[key].localeCompare(b.row[key]);
    else if (key === 'flagged') d = Number(a.row.flagged) - Number(b.row.flagged);
    else d = a.row[key] - b.row[key];
    return d !== 0 ? d * sign : a.i - b.i;
  });
  return filtered.map(({ row }) => row);
}

export const useClassifyStore = defineStore('classify', () => {
  const models = shallowRef<ModelSummary[]>([]);
  const history = shallowRef<ClassificationListItem[]>([]);
  const current = shallowRef<ClassificationDto | null>(null);
  const job = shallowRef<JobSnapshot | null>(null);
  const sortKey = ref<ClassifySortKey>('entropy');
  const sortDir = ref<'asc' | 'desc'>('desc');
  const flaggedOnly = ref(false);
  const classFilter = ref<string | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const events = subscriptions();

  const rows = computed(() => (current.value ? sortRows(current.value.rows, sortKey.value, sortDir.value, flaggedOnly.value, classFilter.value) : []));
  const hasCoordinates = computed(() => current.value?.rows.some((r) => r.lat !== null && r.lon !== null) ?? false);
  const flaggedCount = computed(() => current.value?.rows.filter((r) => r.flagged).length ?? 0);
  const running = computed(() => job.value !== null && (job.value.status === 'queued' || job.value.status === 'running'));
  const usableModels = computed(() => models.value.filter((m) => m.kind === 'student' || m.kind === 'imported'));

  async function loadModels(): Promise<void> {
    await guarded(error, null, async () => {
      models.value = await api().call('models.list', {});
    });
  }

  async function loadHistory(): Promise<void> {
    await guarded(error, null, async () => {
      history.value = await api().call('classify.list', {});
    });
  }

  async function open(classificationId: number): Promise<void> {
    await guarded(error, loading, async () => {
      current.value = await api().call('classify.get', { classificationId });
      classFilter.value = null;
    });
  }

  async function classify(modelId: number | null, folder: string): Promise<void> {
    if (modelId === null) {
      error.value = 'Pick a model.';
      return;
    }
    if (!folder.trim()) {
      error.value = 'Enter the folder of chips to classify.';
      return;
    }
    error.value = null;
    await guarded(error, null, async () => {
      const r = await api().call('classify.start', { modelId, folder: folder.trim() });
      job.value = r.job;
      current.value = null;
      onJob(r.job);
    });
  }

  function onJob(snapshot: JobSnapshot): void {
    if (!job.value || snapshot.id !== job.value.id) return;
    job.value = snapshot;
    if (snapshot.status === 'done' && snapshot.classificationId !== null && current.value?.id !== snapshot.classificationId) {
      void open(snapshot.classificationId);
      void loadHistory();
    } else if (snapshot.status === 'failed') {
      error.value = snapshot.error ?? 'Classification failed.';
    }
  }

  function sortOn(key: ClassifySortKey): void {
    if (sortKey.value === key) sortDir.value = sortDir.value === 'asc' ? 'desc' : 'asc';
    else {
      sortKey.value = key;
      sortDir.value = key === 'key' || key === 'className' ? 'asc' : 'desc';
    }
  }

  async function flag(key: string, flagged: boolean): Promise<void> {
    const c = current.value;
    if (!c) return;
    await guarded(error, null, async () => {
      const row = await api().call('classify.flag', { classificationId: c.id, key, flagged });
      if (current.value?.id === c.id) current.value = { ...c, rows: c.rows.map((r) => (r.key === row.key ? row : r)) };
    });
  }

  /** Deletes a finished classification (the chips on disk are not touched); true when it went. */
  async function remove(classificationId: number): Promise<boolean> {
    const ok = await guarded(error, null, async () => {
      await api().call('classify.delete', { classificationId });
      return true;
    });
    if (ok !== true) return false;
    if (current.value?.id === classificationId) current.value = null;
    await loadHistory();
    return true;
  }

  async function exportAs(format: 'csv' | 'geojson'): Promise<ApiResponse<'classify.export'> | undefined> {
    const c = current.value;
    if (!c) return undefined;
    return guarded(error, null, () => api().call('classify.export', { classificationId: c.id, format }));
  }

  function rowUrl(row: ClassificationRow, stretch: 'linear' | 'db' = 'linear'): string {
    const c = current.value;
    return c ? api().chipUrl({ kind: 'classified', classificationId: c.id, key: row.key, stretch }) : '';
  }

  async function start(): Promise<void> {
    events.take(() => [
      api().on('job', onJob),
      api().on('classification', (e) => {
        void loadHistory();
        if (current.value?.id === e.classificationId && e.status === 'done') void open(e.classificationId);
      }),
    ]);
    await Promise.all([loadModels(), loadHistory()]);
  }

  function stop(): void {
    events.drop();
  }

  return {
    models, usableModels, history, current, job, running, rows, sortKey, sortDir, flaggedOnly, classFilter, hasCoordinates, flaggedCount,
    error, loading, start, stop, loadModels, loadHistory, open, classify, onJob, sortOn, flag, exportAs, remove, rowUrl,
  };
});
