import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistory } from '../../../main/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../main/store/migrations.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const sha = (c: string) => c.repeat(64);

/** A history file as the version-1 app left it: one dataset, one run, models 1..3 of which 3 was deleted. */
function writeV1(file: string, models = true): void {
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  raw.exec(MIGRATIONS[0].sql);
  raw.pragma('user_version = 1');
  raw.exec(`
    INSERT INTO datasets (name, source_root, layout, classes, preprocess, train_count, val_count, test_count,
      class_counts, size_histogram, content_hash, skipped, created_at)
      VALUES ('MSTAR', '/data', 'class', '["A","B"]', '{}', 1, 0, 0, '{}', '[]', 'h', '[]', 10);
    INSERT INTO runs (dataset_id, name, method, student, config, seed, created_at, test_accuracy)
      VALUES (1, 'old run', 'kd', 'sarnet', '{}', 7, 20, 0.75);
  `);
  if (models) {
    const add = raw.prepare('INSERT INTO models (run_id, kind, dir, sha256, created_at) VALUES (1, ?, ?, ?, ?)');
    add.run('student', '/m/student', sha('a'), 30);
    add.run('teacher', '/m/teacher', sha('b'), 40);
    add.run('online', '/m/online', sha('c'), 50);
    raw.exec('DELETE FROM models WHERE id = 3');
  }
  raw.close();
}

describe('migration 2', () => {
  it('is the second migration', () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    expect(MIGRATIONS.slice(0, 2).map((m) => m.name)).toEqual(['initial schema', 'imported models and classifications']);
  });

  it('keeps version-1 models with their run and an empty sidecar, and never reuses a deleted id', () => {
    const file = path.join(tmp.dir, 'v1.sqlite');
    writeV1(file);
    expect(() => openHistory(file, { readonly: true })).toThrow(
      `history ${file} has schema version 1 and needs migrating to ${SCHEMA_VERSION}; open it read-write once`,
    );
    const h = openHistory(file, { now: () => 60 });
    expect(h.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(h.artifacts.getModel(1)).toEqual({ id: 1, runId: 1, kind: 'student', dir: '/m/student', sha256: sha('a'), meta: {}, createdAt: 30 });
    expect(h.artifacts.models(1).map((m) => [m.id, m.kind, m.meta])).toEqual([[1, 'student', {}], [2, 'teacher', {}]]);
    expect(h.artifacts.listModels().map((m) => [m.id, m.runName, m.testAccuracy])).toEqual([[2, 'old run', 0.75], [1, 'old run', 0.75]]);
    expect(h.artifacts.addImportedModel({ dir: '/lib/x', sha256: sha('d'), meta: {} }).id).toBe(4);
    expect(h.integrityCheck()).toEqual(['ok']);
    h.close();

    const raw = new Database(file, { readonly: true });
    const columns = raw.prepare('SELECT name, "notnull", dflt_value FROM pragma_table_info(\'models\') ORDER BY cid').all();
    expect(columns).toEqual([
      { name: 'id', notnull: 0, dflt_value: null },
      { name: 'run_id', notnull: 0, dflt_value: null },
      { name: 'kind', notnull: 1, dflt_value: null },
      { name: 'dir', notnull: 1, dflt_value: null },
      { name: 'sha256', notnull: 1, dflt_value: null },
      { name: 'meta', notnull: 1, dflt_value: "'{}'" },
      { name: 'created_at', notnull: 1, dflt_value: null },
    ]);
    expect(raw.prepare('SELECT "table", "from", "to", on_delete FROM pragma_foreign_key_list(\'models\')').all()).toEqual([
      { table: 'runs', from: 'run_id', to: 'id', on_delete: 'CASCADE' },
    ]);
    const indexes = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'models' ORDER BY name`).pluck().all();
    expect(indexes).toEqual(['models_created', 'models_run']);
    expect(raw.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'models_v2'`).pluck().get()).toBe(0);
    raw.close();
  });

  it('migrates a version-1 file that never stored a model', () => {
    const file = path.join(tmp.dir, 'empty-models.sqlite');
    writeV1(file, false);
    const h = openHistory(file, { now: () => 60 });
    expect(h.artifacts.listModels()).toEqual([]);
    expect(h.artifacts.addModel(1, { kind: 'student', dir: '/m/s', sha256: sha('e') }).id).toBe(1);
    h.close();
  });

  it('keeps cascading a run delete to its models after the rebuild', () => {
    const file = path.join(tmp.dir, 'cascade.sqlite');
    writeV1(file);
    const h = openHistory(file);
    expect(h.runs.delete(1)).toEqual({ files: ['/m/student', '/m/teacher'], classificationsDeleted: 0 });
    expect(h.artifacts.listModels()).toEqual([]);
    h.close();
  });

  it('runs once: reopening a migrated file changes nothing', () => {
    const file = path.join(tmp.dir, 'twice.sqlite');
    writeV1(file);
    openHistory(file).close();
    const h = openHistory(file);
    expect(h.schemaVersion()).toBe(SCHEMA_VERSION);
    expect(h.artifacts.listModels().map((m) => m.id)).toEqual([2, 1]);
    h.close();
  });

  it('still refuses a file from a newer app without touching it', () => {
    const file = path.join(tmp.dir, 'v3.sqlite');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openHistory(file)).toThrow(
      `history ${file} has schema version ${SCHEMA_VERSION + 1}, newer than this app supports (${SCHEMA_VERSION}); update the app`,
    );
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });
});
