/**
 * The local run history: one SQLite file (WAL, foreign keys on), migrated at open, exposed as a
 * `History` of repositories. Synchronous (better-sqlite3); one History per process and file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createAnnotationRepo, type AnnotationRepo } from './annotations.js';
import { createArtifactRepo, type ArtifactRepo } from './artifacts.js';
import { createClassificationRepo, type ClassificationRepo } from './classifications.js';
import { createComparer } from './compare.js';
import { createContext } from './context.js';
import { createDatasetRepo, type DatasetRepo } from './datasets.js';
import { createEvaluationRepo, type EvaluationRepo } from './evaluations.js';
import { createExperimentRepo, type ExperimentRepo } from './experiments.js';
import { createMetricsRepo, type MetricsRepo } from './metrics.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { createPredictionRepo, type PredictionRepo } from './predictions.js';
import { createRunRepo, type RunRepo } from './runs.js';
import type { RunComparison } from './types.js';

export const APP_DIR_NAME = 'aura-kd';
export const HISTORY_FILE_NAME = 'history.sqlite';
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenHistoryOptions {
  /** Open without writing: no migration, no WAL switch; refuses a database that needs migrating. */
  readonly?: boolean;
  /** Clock for timestamps (ms since epoch); default Date.now. */
  now?: () => number;
}

export interface History {
  readonly file: string;
  readonly readonly: boolean;
  datasets: DatasetRepo;
  runs: RunRepo;
  metrics: MetricsRepo;
  evaluations: EvaluationRepo;
  predictions: PredictionRepo;
  artifacts: ArtifactRepo;
  annotations: AnnotationRepo;
  classifications: ClassificationRepo;
  experiments: ExperimentRepo;
  /** Two or more runs side by side, read in one snapshot. */
  compareRuns(ids: readonly number[]): RunComparison;
  /**
   * What a process that died left behind, in one transaction: every 'running' run becomes
   * 'interrupted', every run it had queued (recorded owner) 'cancelled', and every 'queued' or 'running'
   * classification becomes 'failed' with error 'interrupted' — unless `ownerAlive(owner_pid)` says the process that queued it still runs (another
   * app or CLI on the same history; without the callback every owner counts as dead). Call once at
   * app start, before any job is queued (never from a job process). Returns the interrupted run ids.
   */
  markInterruptedRuns(ownerAlive?: (pid: number) => boolean): number[];
  /** The classification half of markInterruptedRuns alone; returns the classification ids. */
  markInterruptedClassifications(ownerAlive?: (pid: number) => boolean): number[];
  /** Runs `fn` in one transaction (repository calls inside join it). */
  transaction<T>(fn: () => T): T;
  /** Schema version of the open file (PRAGMA user_version). */
  schemaVersion(): number;
  /** The connection settings in force (diagnostics). synchronous: 0 OFF, 1 NORMAL, 2 FULL. */
  pragmas(): { journalMode: string; foreignKeys: boolean; synchronous: number; busyTimeoutMs: number };
  /** PRAGMA integrity_check rows: ['ok'] when the file is sound. */
  integrityCheck(): string[];
  close(): void;
}

/**
 * Where the app keeps its data: AURA_KD_DATA_DIR if set; else %APPDATA%\aura-kd on Windows,
 * ~/Library/Application Support/aura-kd on macOS, $XDG_DATA_HOME/aura-kd (absolute only) or
 * ~/.local/share/aura-kd elsewhere.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (env.AURA_KD_DATA_DIR) return p.resolve(env.AURA_KD_DATA_DIR);
  if (platform === 'win32') return p.join(env.APPDATA || p.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env.XDG_DATA_HOME;
  return p.join(xdg && p.isAbsolute(xdg) ? xdg : p.join(home, '.local', 'share'), APP_DIR_NAME);
}

export function defaultHistoryFile(dataDir: string = defaultDataDir()): string {
  return path.join(dataDir, HISTORY_FILE_NAME);
}

function migrate(db: Database.Database, file: string): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) throw tooNew(file, current);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    const violations = db.pragma('foreign_key_check') as unknown[];
    if (violations.length) throw new Error(`migration of ${file} left ${violations.length} foreign-key violation(s)`);
  });
  apply.immediate();
}

function tooNew(file: string, version: number): Error {
  return new Error(
    `history ${file} has schema version ${version}, newer than this app supports (${SCHEMA_VERSION}); update the app`,
  );
}

function openDatabase(file: string, readonly: boolean): Database.Database {
  try {
    if (!readonly) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const db = new Database(file, readonly ? { readonly: true, fileMustExist: true } : {});
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    return db;
  } catch (err) {
    throw new Error(`cannot open history ${file}: ${(err as Error).message}`);
  }
}

export function openHistory(file: string, opts: OpenHistoryOptions = {}): History {
  if (typeof file !== 'string' || file === '') throw new Error('history file path must be a non-empty string');
  const readonly = opts.readonly === true;
  const db = openDatabase(file, readonly);
  try {
    let version: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (err) {
      throw new Error(`cannot read history ${file}: ${(err as Error).message}`);
    }
    // Checked before anything writes to the file (the WAL switch rewrites the header).
    if (version > SCHEMA_VERSION) throw tooNew(file, version);
    db.pragma('foreign_keys = ON');
    if (readonly) {
      if (version < SCHEMA_VERSION) {
        throw new Error(`history ${file} has schema version ${version} and needs migrating to ${SCHEMA_VERSION}; open it read-write once`);
      }
    } else {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, file);
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return assemble(db, file, readonly, opts.now ?? Date.now);
}

function assemble(db: Database.Database, file: string, readonly: boolean, now: () => number): History {
  const ctx = createContext(db, now);
  const runs = createRunRepo(ctx);
  const metrics = createMetricsRepo(ctx);
  const evaluations = createEvaluationRepo(ctx);
  const compare = createComparer(runs, metrics, evaluations);
  const classifications = createClassificationRepo(ctx);
  return {
    file,
    readonly,
    datasets: createDatasetRepo(ctx),
    runs,
    metrics,
    evaluations,
    predictions: createPredictionRepo(ctx),
    artifacts: createArtifactRepo(ctx),
    annotations: createAnnotationRepo(ctx),
    classifications,
    experiments: createExperimentRepo(ctx),
    compareRuns: (ids) => ctx.tx(() => compare(ids)),
    markInterruptedRuns: (ownerAlive) =>
      ctx.tx(() => {
        classifications.markInterrupted(ownerAlive);
        return runs.markInterrupted(ownerAlive);
      }),
    markInterruptedClassifications: (ownerAlive) => classifications.markInterrupted(ownerAlive),
    transaction: (fn) => ctx.tx(fn),
    schemaVersion: () => db.pragma('user_version', { simple: true }) as number,
    pragmas: () => ({
      journalMode: db.pragma('journal_mode', { simple: true }) as string,
      foreignKeys: db.pragma('foreign_keys', { simple: true }) === 1,
      synchronous: db.pragma('synchronous', { simple: true }) as number,
      busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
    }),
    integrityCheck: () => (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check),
    close() {
      if (!db.open) return;
      if (!readonly) db.pragma('optimize');
      db.close();
    },
  };
}
