/** A training run as it happens: its job snapshot and live curves from the job events' `train` field. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { JobSnapshot } from '../api/types.js';
import { addProgress, emptySeries, mergeEpochs, phasesIn } from '../lib/liveSeries.js';
import type { LiveSeries, Phase } from '../lib/liveSeries.js';
import { guarded } from './guard.js';

export const useLiveStore = defineStore('live', () => {
  const runId = ref<number | null>(null);
  const job = shallowRef<JobSnapshot | null>(null);
  const series = shallowRef<LiveSeries>(emptySeries());
  const phase = ref<Phase>('student');
  const followPhase = ref(true);
  const error = ref<string | null>(null);
  let stopEvents: (() => void) | null = null;

  const phases = computed(() => phasesIn(series.value));
  const active = computed(() => job.value !== null && (job.value.status === 'queued' || job.value.status === 'running'));

  function onJob(snapshot: JobSnapshot): void {
    if (runId.value === null || snapshot.runId !== runId.value) return;
    if (job.value && snapshot.id !== job.value.id && snapshot.createdAt < job.value.createdAt) return;
    job.value = snapshot;
    if (snapshot.train) {
      series.value = addProgress(series.value, snapshot.train);
      if (followPhase.value) phase.value = snapshot.train.phase;
    }
  }

  /** Start following a run: stored epoch curves first, then every job event of the run. */
  async function follow(id: number): Promise<void> {
    if (runId.value === id && stopEvents) return;
    unfollow();
    runId.value = id;
    job.value = null;
    series.value = emptySeries();
    followPhase.value = true;
    error.value = null;
    stopEvents = api().on('job', onJob);
    await guarded(error, null, async () => {
      const [curves, jobs] = await Promise.all([api().call('runs.curves', { runId: id }), api().call('jobs.list', {})]);
      if (runId.value !== id) return;
      series.value = { ...series.value, epochs: mergeEpochs(curves, series.value.epochs) };
      const mine = jobs.filter((j) => j.runId === id).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      if (mine && (!job.value || job.value.id === mine.id)) onJob(mine);
      const last = series.value.epochs[series.value.epochs.length - 1];
      if (!job.value?.train && last) phase.value = last.phase;
    });
  }

  function unfollow(): void {
    stopEvents?.();
    stopEvents = null;
    runId.value = null;
  }

  function showPhase(p: Phase): void {
    phase.value = p;
    followPhase.value = false;
  }

  async function cancel(): Promise<void> {
    const id = runId.value;
    if (id === null) return;
    await guarded(error, null, async () => {
      await api().call('runs.cancel', { runId: id });
    });
  }

  return { runId, job, series, phase, phases, active, error, follow, unfollow, showPhase, cancel, onJob };
});
