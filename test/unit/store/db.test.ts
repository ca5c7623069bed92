import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir, defaultHistoryFile, openHistory } from '../../../main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/store/migrations.js';
import { importReport, tempDir, trainConfig } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const TABLES = [
  'checkpoints',
  'classification_rows',
  'classifications',
  'datasets',
  'epoch_metrics',
  'evaluations',
  'experiment_runs',
  'experiments',
  'models',
  'predictions',
  'runs',
  'samples',
  'tags',
];

describe('openHistory', () => {
  it('migrates an empty file to the current schema with WAL, foreign keys and NORMAL sync', () => {
    const file = path.join(tmp.dir, 'nested', 'dir', 'history.sqlite');
    const h = openHistory(file);
    expect(h.schemaVersion()).toBe(SCHEMA_VERSION);
    h.close();
    const db = new Database(file, { readonly: true });
    const tables = db
      .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all();
    expect(tables).toEqual(TABLES);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('numbers its migrations 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('sets the connection pragmas', () => {
    const h = openHistory(path.join(tmp.dir, 'h.sqlite'));
    expect(h.pragmas()).toEqual({ journalMode: 'wal', foreignKeys: true, synchronous: 1, busyTimeoutMs: 5000 });
    h.close();
  });

  it('refuses a database from a newer app and leaves it byte-for-byte unchanged', () => {
    const file = path.join(tmp.dir, 'newer.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (42);');
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    const listing = fs.readdirSync(tmp.dir).sort();
    expect(() => openHistory(file)).toThrow(
      `history ${file} has schema version ${SCHEMA_VERSION + 1}, newer than this app supports (${SCHEMA_VERSION}); update the app`,
    );
    expect(() => openHistory(file, { readonly: true })).toThrow('newer than this app supports');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(listing);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(check.prepare('SELECT x FROM future').pluck().all()).toEqual([42]);
    check.close();
  });

  it('rolls a failed migration back completely', () => {
    const file = path.join(tmp.dir, 'clash.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE evaluations (x INTEGER)');
    raw.close();
    expect(() => openHistory(file)).toThrow('table evaluations already exists');
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all()).toEqual(['evaluations']);
    check.close();
  });

  it('refuses a file that is not SQLite with a clear error', () => {
    const file = path.join(tmp.dir, 'junk.sqlite');
    fs.writeFileSync(file, 'this is not a database, just text long enough to fill a header.....');
    expect(() => openHistory(file)).toThrow(`cannot read history ${file}: file is not a database`);
  });

  it('read-only: refuses a missing file and a file that needs migrating, then reads a migrated one', () => {
    const missing = path.join(tmp.dir, 'missing.sqlite');
    expect(() => openHistory(missing, { readonly: true })).toThrow(`cannot open history ${missing}`);
    expect(fs.existsSync(missing)).toBe(false);
    const old = path.join(tmp.dir, 'old.sqlite');
    new Database(old).close();
    expect(() => openHistory(old, { readonly: true })).toThrow(
      `history ${old} has schema version 0 and needs migrating to ${SCHEMA_VERSION}; open it read-write once`,
    );
    const rw = openHistory(old);
    rw.datasets.create({ name: 'd', report: importReport(), preprocess: trainConfig().preprocess });
    rw.close();
    const ro = openHistory(old, { readonly: true });
    expect(ro.readonly).toBe(true);
    expect(ro.datasets.list().map((d) => d.name)).toEqual(['d']);
    expect(() => ro.datasets.rename(1, 'e')).toThrow('attempt to write a readonly database');
    ro.close();
  });

  it('lets two connections share one file (app and job process)', () => {
    const file = path.join(tmp.dir, 'shared.sqlite');
    const app = openHistory(file);
    const job = openHistory(file);
    const ds = app.datasets.create({ name: 'd', report: importReport(), preprocess: trainConfig().preprocess });
    const run = job.runs.create({ datasetId: ds.id, name: 'from job', config: trainConfig() });
    expect(app.runs.get(run.id)?.name).toBe('from job');
    const reader = openHistory(file, { readonly: true });
    expect(reader.runs.list().total).toBe(1);
    reader.close();
    job.close();
    app.close();
  });

  it('keeps everything across close and reopen, and passes integrity_check', () => {
    const file = path.join(tmp.dir, 'persist.sqlite');
    const h = openHistory(file);
    const ds = h.datasets.create({ name: 'MSTAR', report: importReport(), preprocess: trainConfig().preprocess });
    const run = h.runs.create({ datasetId: ds.id, name: 'first', config: trainConfig('kd'), tags: ['paper'] });
    h.runs.start(run.id, { backend: 'wasm' });
    h.close();
    h.close(); // idempotent
    const again = openHistory(file);
    expect(again.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(again.runs.get(run.id)).toEqual({ ...run, status: 'running', backend: 'wasm', startedAt: expect.any(Number) });
    expect(again.datasets.get(ds.id)).toEqual(ds);
    expect(again.integrityCheck()).toEqual(['ok']);
    again.close();
  });
});

describe('defaultDataDir', () => {
  const home = '/home/ana';
  it('follows each platform convention', () => {
    expect(defaultDataDir({}, 'linux', home)).toBe('/home/ana/.local/share/aura-kd');
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', home)).toBe('/xdg/aura-kd');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative/xdg' }, 'linux', home)).toBe('/home/ana/.local/share/aura-kd');
    expect(defaultDataDir({}, 'darwin', '/Users/ana')).toBe('/Users/ana/Library/Application Support/aura-kd');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\aura-kd',
    );
    expect(defaultDataDir({}, 'win32', 'C:\\Users\\ana')).toBe('C:\\Users\\ana\\AppData\\Roaming\\aura-kd');
  });
  it('lets AURA_KD_DATA_DIR override every platform', () => {
    expect(defaultDataDir({ AURA_KD_DATA_DIR: '/srv/aura', XDG_DATA_HOME: '/xdg' }, 'linux', home)).toBe('/srv/aura');
    expect(defaultDataDir({ AURA_KD_DATA_DIR: '/srv/aura' }, 'darwin', home)).toBe('/srv/aura');
    expect(defaultHistoryFile('/srv/aura')).toBe('/srv/aura/history.sqlite');
  });
});
