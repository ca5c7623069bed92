/** Shared helpers of the integration tests: a real service on a temp data dir, job waiting. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSnapshot } from '../../main/api/contract.js';
import { createAppService } from '../../main/api/service.js';
import type { AppService, AppServiceOptions, JobProcess } from '../../main/api/service-types.js';
import { forkSpawner } from '../../main/jobs/manager.js';

export const TINY_CONFIG = {
  method: 'aurakd',
  student: 'sarnet',
  teacher: 'sarnet',
  epochs: 2,
  teacherEpochs: 1,
  batchSize: 16,
  learningRate: 0.003,
};

export interface TestApp {
  service: AppService;
  dataDir: string;
  processes: JobProcess[];
  cleanup(): Promise<void>;
}

export async function startTestApp(opts: Partial<AppServiceOptions> = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'aura-int-'));
  const processes: JobProcess[] = [];
  const service = await createAppService({
    backend: (process.env.AURA_TEST_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'wasm',
    ...opts,
    dataDir,
    spawner: (m, a, e) => {
      const p = forkSpawner(m, a, e);
      processes.push(p);
      return p;
    },
  });
  return {
    service,
    dataDir,
    processes,
    cleanup: async () => {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function waitForJob(service: AppService, job: JobSnapshot, timeoutMs = 240_000): Promise<JobSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`job ${job.title} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (s: JobSnapshot) => {
      if (s.status === 'done' || s.status === 'failed' || s.status === 'cancelled') {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    };
    const off = service.on('job', (s) => s.id === job.id && done(s));
    void service.call('jobs.get', { jobId: job.id }).then(done);
  });
}

/** Resolves with the first job event that satisfies `predicate`. */
export function waitForEvent(service: AppService, predicate: (s: JobSnapshot) => boolean, timeoutMs = 240_000): Promise<JobSnapshot> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error('event did not arrive'));
    }, timeoutMs);
    const off = service.on('job', (s) => {
      if (predicate(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    });
  });
}
