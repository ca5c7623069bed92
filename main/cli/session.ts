/** The CLI's connection to the app: the same AppService the desktop app and browser mode use. */
import type { ApiInput, ApiResponse, JobSnapshot, OperationName } from '../api/contract.js';
import { createAppService } from '../api/service.js';
import type { AppService } from '../api/service-types.js';
import type { BackendPreference } from '../engine/config.js';
import { ProgressPrinter, progressLine } from './output.js';

export interface CliSession {
  service: AppService;
  call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>>;
  /** Wait for a job to end, printing progress unless quiet; Ctrl-C cancels it. */
  waitForJob(job: JobSnapshot, opts?: { quiet?: boolean }): Promise<JobSnapshot>;
  close(): Promise<void>;
}

export async function openSession(opts: { dataDir?: string; backend?: BackendPreference; chipUrl?: (p: string) => string }): Promise<CliSession> {
  const service = await createAppService({ dataDir: opts.dataDir, backend: opts.backend, chipUrl: opts.chipUrl });
  const call = <K extends OperationName>(op: K, input: ApiInput<K>) => service.call(op, input);

  const waitForJob = (job: JobSnapshot, { quiet = false } = {}) =>
    new Promise<JobSnapshot>((resolve) => {
      const printer = new ProgressPrinter();
      let lastEpochKey = '';
      const finish = (s: JobSnapshot) => {
        off();
        process.off('SIGINT', onSigint);
        if (!quiet) printer.done();
        resolve(s);
      };
      const onSigint = () => {
        if (!quiet) printer.commit('Cancelling… (the last checkpoint is kept; resume with `aura-kd runs resume`)');
        void service.call('jobs.cancel', { jobId: job.id }).catch(() => undefined);
      };
      process.on('SIGINT', onSigint);
      const off = service.on('job', (s) => {
        if (s.id !== job.id) return;
        if (!quiet) {
          const t = s.train;
          if (t?.kind === 'epoch') {
            const key = `${t.phase}:${t.epoch}`;
            if (key !== lastEpochKey) {
              lastEpochKey = key;
              printer.commit(progressLine(s));
            }
          } else if (s.status === 'running') {
            printer.update(progressLine(s));
          }
        }
        if (s.status === 'done' || s.status === 'failed' || s.status === 'cancelled') finish(s);
      });
      // The job may have finished before we subscribed.
      void service.call('jobs.get', { jobId: job.id }).then((s) => {
        if (s.status === 'done' || s.status === 'failed' || s.status === 'cancelled') finish(s);
      });
    });

  return { service, call, waitForJob, close: () => service.close() };
}
