/**
 * Experiments (CE vs KD vs Self-KD vs AURA-KD over seeds, optional τ sweep): the list, the selected
 * experiment's tables and runs, and which of its runs is training — kept current from 'run' and
 * 'job' events while runs are queued or running.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ExperimentDetailDto, ExperimentResultDto, ExperimentSummaryDto, MeanStd, PooledExperiments, ResultRow } from '../../../main/api/contract.js';
import { changedDistillOptions } from '../../../main/engine/config.js';
import { api } from '../api/client.js';
import type { ApiEvents, ApiResponse, JobSnapshot, TrainConfig } from '../api/types.js';
import { compactNumber, methodLabel } from '../lib/format.js';
import { guarded } from './guard.js';
import { debounced, subscriptions } from './subscriptions.js';

export type { ExperimentDetailDto, ExperimentSummaryDto, MeanStd, PooledExperiments, ResultRow } from '../../../main/api/contract.js';
export type ExperimentRole = ExperimentResultDto['role'];

/** One run of an experiment with every role it plays (the CE baseline may also be the offline teacher). */
export interface ExperimentRun extends Omit<ExperimentResultDto, 'role'> {
  roles: ExperimentRole[];
}

export const RELOAD_DELAY_MS = 300;
/** How often an open experiment re-reads its tables while another process trains some of its runs (no events reach here). */
export const OTHER_PROCESS_POLL_MS = 10_000;
const ENDED = new Set(['done', 'failed', 'cancelled', 'interrupted']);
/** A run in one of these states may have (or get) a job: interrupted and cancelled runs when resumed. */
const MAY_HAVE_JOB = new Set(['queued', 'running', 'cancelled', 'interrupted']);
const LIVE_JOB = new Set(['queued', 'running']);

/**
 * The runs experiments.resume would queue again, in plan order: interrupted or cancelled runs, and
 * queued runs whose job is gone (the app closed before it ran) — none of them with a live job, here
 * or in another process on the same history. Queued runs count only once the jobs are known
 * (`jobsKnown`), so the button does not flash.
 */
export function resumableRuns(runs: readonly ExperimentRun[], jobs: Readonly<Record<number, JobSnapshot>>, jobsKnown: boolean): ExperimentRun[] {
  return runs.filter((run) => {
    const job = jobs[run.runId];
    if (run.otherProcess || (job && LIVE_JOB.has(job.status))) return false;
    return run.status === 'interrupted' || run.status === 'cancelled' || (run.status === 'queued' && jobsKnown);
  });
}

/** The per-run list: results merged by run, in plan order. */
export function experimentRuns(results: ExperimentDetailDto['results']): ExperimentRun[] {
  const byRun = new Map<number, ExperimentRun>();
  for (const r of results) {
    const seen = byRun.get(r.runId);
    if (seen) {
      if (!seen.roles.includes(r.role)) seen.roles.push(r.role);
      continue;
    }
    const { role, ...rest } = r;
    byRun.set(r.runId, { ...rest, roles: [role] });
  }
  return [...byRun.values()];
}

/** 'CE · teacher', 'AURA-KD · τ sweep', 'Offline teacher' … */
export function roleLabel(run: Pick<ExperimentRun, 'roles' | 'method'>): string {
  if (run.roles.length === 1 && run.roles[0] === 'teacher') return 'Offline teacher';
  const parts = [methodLabel(run.method)];
  if (run.roles.includes('teacher')) parts.push('teacher');
  if (run.roles.includes('tau')) parts.push('τ sweep');
  return parts.join(' · ');
}

/** The experiment's shared settings as one line (student, teacher, budget, optimiser, τ, input). */
export function configSummary(c: TrainConfig): string {
  const changed = changedDistillOptions(c.distill);
  return [
    `student ${c.student}`,
    `offline teacher ${c.teacher} (${c.teacherEpochs} epoch${c.teacherEpochs === 1 ? '' : 's'} CE, frozen)`,
    `${c.epochs} epoch${c.epochs === 1 ? '' : 's'}, batch ${c.batchSize}`,
    `Adam lr ${compactNumber(c.learningRate)} ${c.lrSchedule ?? 'constant'}, weight decay ${compactNumber(c.weightDecay)}`,
    `τ ${c.distill.tau}`,
    ...(changed ? [`AURA-KD: ${changed}`] : []),
    `input ${c.preprocess.size}×${c.preprocess.size} ${c.preprocess.intensity}`,
    `shift ±${c.augment.shift} px`,
    ...(c.balancedSampling ? ['class-balanced batches'] : []),
  ].join(' · ');
}

/** Mean ± std of fractions as percent with two decimals ('93.12 ± 0.41'), '—' when not evaluated yet. */
export function meanStdPercent(m: MeanStd | null): string {
  return m ? `${(m.mean * 100).toFixed(2)} ± ${(m.std * 100).toFixed(2)}` : '—';
}

/** Seeds evaluated / planned, with failures: '2/3 (1 failed)'. */
export function seedCount(r: Pick<ResultRow, 'n' | 'planned' | 'failed'>): string {
  return r.failed ? `${r.n}/${r.planned} (${r.failed} failed)` : `${r.n}/${r.planned}`;
}

export type Verdict = 'holds' | 'does not hold' | 'pending';
export const verdict = (v: boolean | null): Verdict => (v === null ? 'pending' : v ? 'holds' : 'does not hold');

/** Comma- or space-separated numbers, e.g. seeds '1, 2, 3'. Returns the list or a one-line problem. */
export function parseNumberList(text: string, what: string, opts: { integer: boolean; min: number; max: number; maxCount: number }): number[] | string {
  const What = what.startsWith('τ') ? what : `${what[0].toUpperCase()}${what.slice(1)}`;
  const tokens = text.split(/[\s,;]+/).filter(Boolean);
  if (tokens.length === 0) return `Enter at least one ${what}.`;
  const values: number[] = [];
  for (const t of tokens) {
    const v = Number(t);
    if (!Number.isFinite(v)) return `“${t}” is not a number (${what}s are comma-separated).`;
    if (opts.integer && !Number.isInteger(v)) return `${What} “${t}” must be a whole number.`;
    if (v < opts.min || v > opts.max) return `${What} ${t} is outside ${opts.min}–${opts.max}.`;
    if (values.includes(v)) return `${What} ${t} is listed twice.`;
    values.push(v);
  }
  if (values.length > opts.maxCount) return `At most ${opts.maxCount} ${what}s (got ${values.length}).`;
  return values;
}

export const parseSeeds = (text: string) => parseNumberList(text, 'seed', { integer: true, min: 0, max: 2 ** 31 - 1, maxCount: 10 });
export const parseTaus = (text: string) => parseNumberList(text, 'τ value', { integer: false, min: 0.5, max: 20, maxCount: 10 });

export const useExperimentsStore = defineStore('experiments', () => {
  const list = shallowRef<ExperimentSummaryDto[]>([]);
  const selectedId = ref<number | null>(null);
  const detail = shallowRef<ExperimentDetailDto | null>(null);
  /** The latest training job of each run of the selected experiment. */
  const jobs = shallowRef<Record<number, JobSnapshot>>({});
  /** Whether `jobs` reflects the job queue for the selected experiment (false until asked). */
  const jobsKnown = ref(false);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const resuming = ref(false);
  const events = subscriptions();
  /** Between start and stop (the view is open). */
  let open = false;
  let detailRequest = 0;

  const runs = computed(() => (detail.value ? experimentRuns(detail.value.results) : []));
  /** Runs of the selected experiment whose job here is running (or whose row says so before a job event arrived). */
  const training = computed(() =>
    runs.value
      .map((run) => ({ run, job: jobs.value[run.runId] ?? null }))
      .filter(({ run, job }) => (job ? job.status === 'running' : run.status === 'running' && !run.otherProcess)),
  );
  /** Runs queued or training in another process (app or CLI) on the same history: no progress here. */
  const elsewhere = computed(() => runs.value.filter((r) => r.otherProcess && !jobs.value[r.runId]));
  const unfinished = computed(() => runs.value.filter((r) => !ENDED.has(r.status)).length);
  const resumable = computed(() => resumableRuns(runs.value, jobs.value, jobsKnown.value));
  /** Runs waiting in the job queue: with a queued job, or queued while the jobs are not known yet (orphans are resumable instead). */
  const waiting = computed(() => {
    const orphans = new Set(resumable.value.map((r) => r.runId));
    return runs.value.filter((r) => {
      const job = jobs.value[r.runId];
      return job ? job.status === 'queued' : r.status === 'queued' && !r.otherProcess && !orphans.has(r.runId);
    }).length;
  });

  async function loadList(): Promise<void> {
    await guarded(error, loading, async () => {
      list.value = await api().call('experiments.list', {});
    });
  }

  async function loadDetail(): Promise<void> {
    const id = selectedId.value;
    if (id === null) return;
    const mine = ++detailRequest;
    await guarded(error, null, async () => {
      const next = await api().call('experiments.get', { experimentId: id });
      if (mine !== detailRequest || selectedId.value !== id) return;
      detail.value = next;
      if (open && elsewhere.value.length > 0) followOtherProcess();
    });
  }

  /** Show one experiment (null: none): its tables, then the jobs of its runs that are queued or running. */
  async function select(id: number | null): Promise<void> {
    if (id === selectedId.value && detail.value) return;
    selectedId.value = id;
    detail.value = null;
    jobs.value = {};
    jobsKnown.value = false;
    if (id === null) return;
    await loadDetail();
    await loadJobs();
  }

  /** The current jobs of the selected experiment's runs (asked only while some run is unfinished, interrupted or cancelled). */
  async function loadJobs(): Promise<void> {
    const id = selectedId.value;
    jobs.value = {};
    jobsKnown.value = false;
    if (id === null || !detail.value) return;
    if (!runs.value.some((r) => MAY_HAVE_JOB.has(r.status))) {
      jobsKnown.value = true;
      return;
    }
    await guarded(error, null, async () => {
      const all = await api().call('jobs.list', {});
      if (selectedId.value !== id) return;
      for (const job of [...all].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) onJob(job);
      jobsKnown.value = true;
    });
  }

  /** Queue the selected experiment's interrupted, cancelled and orphaned runs again (the API's refusal shows as `error`). */
  async function resume(): Promise<number[] | undefined> {
    const id = selectedId.value;
    if (id === null || resuming.value) return undefined;
    const out = await guarded(error, resuming, async () => (await api().call('experiments.resume', { experimentId: id })).runIds);
    await Promise.all([loadList(), loadDetail()]);
    await loadJobs();
    return out;
  }

  /** The selected experiment as a report file (Markdown or plain text), as `experiment show` prints it. */
  async function report(format: 'markdown' | 'text'): Promise<ApiResponse<'experiments.report'> | undefined> {
    const id = selectedId.value;
    if (id === null) return undefined;
    return guarded(error, null, () => api().call('experiments.report', { experimentId: id, format }));
  }

  /** Experiments ticked to be read as one (e.g. one comparison on several carve-outs), and that pooled reading. */
  const poolIds = ref<number[]>([]);
  const pooled = shallowRef<PooledExperiments | null>(null);

  function togglePooled(id: number): void {
    poolIds.value = poolIds.value.includes(id) ? poolIds.value.filter((x) => x !== id) : [...poolIds.value, id];
  }

  async function pool(): Promise<void> {
    const ids = [...poolIds.value];
    await guarded(error, null, async () => {
      pooled.value = await api().call('experiments.pool', { experimentIds: ids });
    });
  }

  function closePool(): void {
    pooled.value = null;
  }

  async function remove(id: number): Promise<boolean> {
    const ok = await guarded(error, null, async () => {
      await api().call('experiments.delete', { experimentId: id });
      return true;
    });
    if (!ok) return false;
    if (selectedId.value === id) await select(null);
    poolIds.value = poolIds.value.filter((x) => x !== id);
    await loadList();
    return true;
  }

  const reload = () => {
    void loadList();
    void loadDetail();
  };
  const scheduleReload = debounced(reload, RELOAD_DELAY_MS);
  const followOtherProcess = debounced(reload, OTHER_PROCESS_POLL_MS);

  function patchStatus(runId: number, status: string): void {
    const d = detail.value;
    if (!d || !d.results.some((r) => r.runId === runId && r.status !== status)) return;
    detail.value = { ...d, results: d.results.map((r) => (r.runId === runId ? { ...r, status } : r)) };
  }

  const inDetail = (runId: number | null) => runId !== null && !!detail.value?.results.some((r) => r.runId === runId);

  /** Any run's status change may move an experiment's progress: reload (debounced); show the new status at once. */
  function onRun(event: ApiEvents['run']): void {
    patchStatus(event.runId, event.status);
    scheduleReload();
  }

  function onJob(job: JobSnapshot): void {
    if (job.kind !== 'train' || !inDetail(job.runId)) return;
    const runId = job.runId as number;
    const known = jobs.value[runId];
    if (known && known.id !== job.id && job.createdAt < known.createdAt) return;
    jobs.value = { ...jobs.value, [runId]: job };
    if (job.status === 'running') patchStatus(runId, 'running');
    else if (job.status === 'done' || job.status === 'failed' || job.status === 'cancelled') scheduleReload();
  }

  async function start(): Promise<void> {
    open = true;
    events.take(() => [api().on('run', onRun), api().on('job', onJob)]);
    await Promise.all([loadList(), loadDetail()]);
    await loadJobs();
  }

  function stop(): void {
    open = false;
    events.drop();
    scheduleReload.cancel();
    followOtherProcess.cancel();
  }

  return {
    list, selectedId, detail, jobs, jobsKnown, error, loading, resuming, runs, training, unfinished, resumable, waiting, elsewhere,
    poolIds, pooled,
    start, stop, loadList, loadDetail, select, togglePooled, pool, closePool, remove, resume, report, onRun, onJob,
  };
});
