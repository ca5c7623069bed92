/** system.info and jobs.* operations. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { initBackend } from '../../engine/backend.js';
import type { BackendPreference } from '../../engine/config.js';
import { ApiError, type ApiRequest, type ApiResponse } from '../contract.js';
import type { ServiceContext } from '../context.js';

const require = createRequire(import.meta.url);
const versionOf = (pkg: string): string => {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return 'unknown';
  }
};
const APP_VERSION = (require('../../../package.json') as { version: string }).version;

let sqliteVersion: string | null = null;
function readSqliteVersion(): string {
  if (!sqliteVersion) {
    const db = new Database(':memory:');
    sqliteVersion = db.prepare('SELECT sqlite_version()').pluck().get() as string;
    db.close();
  }
  return sqliteVersion;
}

export function systemHandlers(ctx: ServiceContext, backendPreference: BackendPreference) {
  const { jobs } = ctx;
  return {
    /** The backend jobs will use: the same chain, resolved once in this process. */
    'system.info': async (): Promise<ApiResponse<'system.info'>> => {
      const backend = await initBackend(backendPreference).catch(() => null);
      return {
        backend: backend ? { name: backend.name, threads: backend.threads, simd: backend.simd, detail: backend.detail } : null,
        versions: {
          app: APP_VERSION,
          node: process.versions.node,
          tfjs: versionOf('@tensorflow/tfjs'),
          sqlite: readSqliteVersion(),
          electron: process.versions.electron ?? null,
        },
        paths: { dataDir: ctx.dataDir, database: ctx.history.file, models: join(ctx.dataDir, 'runs') },
      };
    },
    'jobs.list': (): ApiResponse<'jobs.list'> => jobs.list(),
    'jobs.get': (req: ApiRequest<'jobs.get'>): ApiResponse<'jobs.get'> => {
      const job = jobs.get(req.jobId);
      if (!job) throw new ApiError('notFound', `Job ${req.jobId} not found`);
      return job;
    },
    'jobs.cancel': (req: ApiRequest<'jobs.cancel'>): ApiResponse<'jobs.cancel'> => {
      const job = jobs.cancel(req.jobId);
      if (!job) throw new ApiError('notFound', `Job ${req.jobId} not found`);
      return job;
    },
  };
}
