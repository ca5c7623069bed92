/** System info (compute backend, versions) and every job's latest snapshot, kept fresh by 'job' events. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { api } from '../api/client.js';
import type { ConnectionState } from '../api/client.js';
import type { JobSnapshot, SystemInfo } from '../api/types.js';
import { guarded } from './guard.js';
import { subscriptions } from './subscriptions.js';

const KEEP_FINISHED = 50;

export function isActiveJob(job: JobSnapshot): boolean {
  return job.status === 'queued' || job.status === 'running';
}

export const useSystemStore = defineStore('system', () => {
  const info = shallowRef<SystemInfo | null>(null);
  const jobs = shallowRef<Record<string, JobSnapshot>>({});
  const connection = ref<ConnectionState>('connecting');
  const error = ref<string | null>(null);
  const loading = ref(false);
  const events = subscriptions();

  const jobList = computed(() => Object.values(jobs.value).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id)));
  const activeJobs = computed(() => jobList.value.filter(isActiveJob));

  function upsertJob(job: JobSnapshot): void {
    const next = { ...jobs.value, [job.id]: job };
    const finished = Object.values(next)
      .filter((j) => !isActiveJob(j))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    for (const old of finished.slice(KEEP_FINISHED)) delete next[old.id];
    jobs.value = next;
  }

  async function refresh(): Promise<void> {
    await guarded(error, loading, async () => {
      const [systemInfo, list] = await Promise.all([api().call('system.info', {}), api().call('jobs.list', {})]);
      info.value = systemInfo;
      const map: Record<string, JobSnapshot> = {};
      for (const job of list) map[job.id] = job;
      jobs.value = map;
      error.value = null;
    });
  }

  /** Subscribe to events and load once; safe to call again. */
  async function start(): Promise<void> {
    let wasClosed = false;
    const taken = events.take(() => [
      api().on('job', upsertJob),
      api().onConnection((state) => {
        connection.value = state;
        if (state === 'closed') wasClosed = true;
        if (state === 'open' && wasClosed) {
          wasClosed = false;
          void refresh();
        }
      }),
    ]);
    if (taken) await refresh();
  }

  function stop(): void {
    events.drop();
  }

  /** The most recent job of a training run, if any. */
  function jobForRun(runId: number): JobSnapshot | null {
    return jobList.value.find((j) => j.runId === runId) ?? null;
  }

  async function cancelJob(jobId: string): Promise<void> {
    await guarded(error, null, async () => upsertJob(await api().call('jobs.cancel', { jobId })));
  }

  return { info, jobs, jobList, activeJobs, connection, error, loading, start, stop, refresh, upsertJob, jobForRun, cancelJob };
});
