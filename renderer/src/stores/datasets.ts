/** Datasets: the list, the selected dataset's detail, imports (with their job), and the paged chip gallery. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { ChipItem, DatasetDetail, DatasetSummary, JobSnapshot, Split } from '../api/types.js';
import { guarded } from './guard.js';
import { subscriptions } from './subscriptions.js';

export const GALLERY_PAGE = 120;

export interface GalleryFilter {
  className: string | null;
  split: Split | null;
}

export interface ImportOptions {
  root: string;
  name?: string;
  valFraction?: number;
  testFraction?: number;
  seed?: number;
  groupBy?: 'none' | 'scene';
}

export const useDatasetsStore = defineStore('datasets', () => {
  const list = shallowRef<DatasetSummary[]>([]);
  const selectedId = ref<number | null>(null);
  const detail = shallowRef<DatasetDetail | null>(null);
  const importJob = shallowRef<JobSnapshot | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const loadingDetail = ref(false);

  const filter = ref<GalleryFilter>({ className: null, split: null });
  const total = ref(0);
  /** Sparse: index → chip, filled page by page as the gallery scrolls. */
  const chips = shallowRef<(ChipItem | undefined)[]>([]);
  const pagesRequested = new Set<number>();
  let galleryVersion = 0;
  const events = subscriptions();

  const selected = computed(() => list.value.find((d) => d.id === selectedId.value) ?? null);
  const importing = computed(() => importJob.value !== null && (importJob.value.status === 'queued' || importJob.value.status === 'running'));

  async function loadList(): Promise<void> {
    await guarded(error, loading, async () => {
      list.value = await api().call('datasets.list', {});
      if (selectedId.value !== null && !list.value.some((d) => d.id === selectedId.value)) {
        selectedId.value = null;
        detail.value = null;
        resetGallery();
      }
    });
  }

  function resetGallery(): void {
    galleryVersion++;
    pagesRequested.clear();
    chips.value = [];
    total.value = 0;
  }

  async function select(id: number | null): Promise<void> {
    selectedId.value = id;
    detail.value = null;
    filter.value = { className: null, split: null };
    resetGallery();
    if (id === null) return;
    await guarded(error, loadingDetail, async () => {
      const d = await api().call('datasets.get', { datasetId: id });
      if (selectedId.value === id) detail.value = d;
    });
    await loadPage(0);
  }

  async function setFilter(next: Partial<GalleryFilter>): Promise<void> {
    filter.value = { ...filter.value, ...next };
    resetGallery();
    await loadPage(0);
  }

  async function loadPage(page: number): Promise<void> {
    const datasetId = selectedId.value;
    if (datasetId === null || pagesRequested.has(page)) return;
    pagesRequested.add(page);
    const version = galleryVersion;
    const { className, split } = filter.value;
    await guarded(error, null, async () => {
      const result = await api().call('datasets.chips', {
        datasetId,
        className: className ?? undefined,
        split: split ?? undefined,
        offset: page * GALLERY_PAGE,
        limit: GALLERY_PAGE,
      });
      if (version !== galleryVersion) return;
      total.value = result.total;
      const next = chips.value.slice();
      next.length = Math.max(next.length, result.total);
      result.items.forEach((item, i) => (next[result.offset + i] = item));
      chips.value = next;
    }).then(() => {
      if (version === galleryVersion && !chips.value[page * GALLERY_PAGE] && total.value > page * GALLERY_PAGE) pagesRequested.delete(page);
    });
  }

  /** Make sure chips [start, end) are loaded (or on their way). */
  async function ensureRange(start: number, end: number): Promise<void> {
    if (end <= start) return;
    const first = Math.floor(start / GALLERY_PAGE);
    const last = Math.floor((end - 1) / GALLERY_PAGE);
    const work: Promise<void>[] = [];
    for (let p = first; p <= last; p++) work.push(loadPage(p));
    await Promise.all(work);
  }

  function onJob(job: JobSnapshot): void {
    if (!importJob.value || job.id !== importJob.value.id) return;
    importJob.value = job;
    if (job.status === 'done') {
      void loadList().then(() => {
        const newest = job.datasetId ?? list.value.reduce<number | null>((m, d) => (m === null || d.id > m ? d.id : m), null);
        if (newest !== null) void select(newest);
      });
    } else if (job.status === 'failed') {
      error.value = job.error ?? 'The import failed.';
    }
  }

  function subscribe(): void {
    events.take(() => [
      api().on('job', onJob),
      api().on('dataset', (e) => {
        void loadList();
        if (!e.deleted && e.datasetId === selectedId.value && !loadingDetail.value) {
          void api()
            .call('datasets.get', { datasetId: e.datasetId })
            .then((d) => {
              if (selectedId.value === e.datasetId) detail.value = d;
            })
            .catch(() => undefined);
        }
      }),
    ]);
  }

  async function importFolder(options: ImportOptions): Promise<void> {
    const root = options.root.trim();
    if (!root) {
      error.value = 'Enter the folder to import.';
      return;
    }
    error.value = null;
    subscribe();
    await guarded(error, null, async () => {
      importJob.value = await api().call('datasets.import', { ...options, root, name: options.name?.trim() || undefined });
    });
  }

  async function importDemo(): Promise<void> {
    error.value = null;
    subscribe();
    await guarded(error, null, async () => {
      importJob.value = await api().call('datasets.importDemo', {});
    });
  }

  async function remove(datasetId: number, cascade: boolean): Promise<boolean> {
    const done = await guarded(error, null, async () => {
      await api().call('datasets.delete', { datasetId, cascade });
      return true;
    });
    if (done) {
      if (selectedId.value === datasetId) await select(null);
      await loadList();
    }
    return done === true;
  }

  async function start(): Promise<void> {
    subscribe();
    await loadList();
  }

  function stop(): void {
    events.drop();
  }

  return {
    list, selectedId, selected, detail, importJob, importing, error, loading, loadingDetail,
    filter, total, chips, start, stop, loadList, select, setFilter, ensureRange, importFolder, importDemo, remove, onJob,
  };
});
