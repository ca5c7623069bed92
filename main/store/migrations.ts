/**
 * Versioned schema of the run history. `PRAGMA user_version` holds the number of the last migration
 * applied; `openHistory` applies the missing ones in one transaction. Never edit a released
 * migration: append a new one.
 *
 * Conventions:
 * - Timestamps are INTEGER milliseconds since the Unix epoch.
 * - JSON columns hold text produced by JSON.stringify (classes, configs, confusion matrices...).
 * - A dataset's samples never change after import, so its split/class counts and size histograms
 *   are computed once at import and kept on the datasets row.
 * - Probabilities in `predictions` are BLOBs of little-endian float32, one value per class
 *   (4·C bytes; NULL when the teacher is absent). See codec.ts.
 * - `confidence` = max student probability; `disagreement` = total-variation distance
 *   ½·Σ|p_student − p_offline| in [0, 1] (NULL without an offline teacher). Both are computed
 *   from the float64 inputs at insert time, so they can be indexed and ranked. The same holds for
 *   `classification_rows.confidence` (max probability) and its `probs` blob.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const V1_INITIAL = `
CREATE TABLE datasets (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT    NOT NULL,
  source_root   TEXT    NOT NULL,
  layout        TEXT    NOT NULL CHECK (layout IN ('class', 'split/class')),
  classes       TEXT    NOT NULL,
  preprocess    TEXT    NOT NULL,
  train_count   INTEGER NOT NULL,
  val_count     INTEGER NOT NULL,
  test_count    INTEGER NOT NULL,
  class_counts  TEXT    NOT NULL,
  size_histogram TEXT   NOT NULL,
  content_hash  TEXT    NOT NULL,
  skipped       TEXT    NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX datasets_content_hash ON datasets (content_hash);

CREATE TABLE samples (
  id          INTEGER PRIMARY KEY,
  dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  key         TEXT    NOT NULL,
  path        TEXT    NOT NULL,
  class_name  TEXT    NOT NULL,
  label       INTEGER NOT NULL,
  split       TEXT    NOT NULL CHECK (split IN ('train', 'val', 'test')),
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  channels    INTEGER NOT NULL,
  format      TEXT    NOT NULL,
  group_key   TEXT,
  lat         REAL,
  lon         REAL,
  UNIQUE (dataset_id, key)
);
CREATE INDEX samples_dataset_split_label ON samples (dataset_id, split, label);
CREATE INDEX samples_dataset_label ON samples (dataset_id, label, split);

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id        INTEGER NOT NULL REFERENCES datasets (id) ON DELETE RESTRICT,
  name              TEXT    NOT NULL,
  method            TEXT    NOT NULL CHECK (method IN ('ce', 'kd', 'selfkd', 'aurakd')),
  student           TEXT    NOT NULL,
  teacher           TEXT,
  config            TEXT    NOT NULL,
  seed              INTEGER NOT NULL,
  backend           TEXT    CHECK (backend IN ('tensorflow', 'wasm', 'cpu')),
  status            TEXT    NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted')),
  created_at        INTEGER NOT NULL,
  started_at        INTEGER,
  ended_at          INTEGER,
  error             TEXT,
  best_epoch        INTEGER,
  val_accuracy      REAL,
  test_accuracy     REAL,
  balanced_accuracy REAL,
  macro_f1          REAL,
  ece               REAL,
  duration_sec      REAL,
  note              TEXT    NOT NULL DEFAULT '',
  parent_run_id     INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  sweep_id          TEXT
);
CREATE INDEX runs_dataset_created ON runs (dataset_id, created_at);
CREATE INDEX runs_created ON runs (created_at);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_method ON runs (method);
CREATE INDEX runs_test_accuracy ON runs (test_accuracy);
CREATE INDEX runs_val_accuracy ON runs (val_accuracy);
CREATE INDEX runs_parent ON runs (parent_run_id);
CREATE INDEX runs_sweep ON runs (sweep_id) WHERE sweep_id IS NOT NULL;

CREATE TABLE epoch_metrics (
  run_id          INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase           TEXT    NOT NULL CHECK (phase IN ('teacher', 'student')),
  epoch           INTEGER NOT NULL,
  loss_total      REAL,
  loss_ce         REAL,
  loss_off        REAL,
  loss_on         REAL,
  w_off_mean      REAL,
  w_off_std       REAL,
  train_accuracy  REAL,
  val_accuracy    REAL,
  val_loss        REAL,
  chips_per_sec   REAL,
  seconds         REAL,
  learning_rate   REAL,
  PRIMARY KEY (run_id, phase, epoch)
) WITHOUT ROWID;

CREATE TABLE evaluations (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id            INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  split             TEXT    NOT NULL CHECK (split IN ('train', 'val', 'test')),
  n                 INTEGER NOT NULL,
  accuracy          REAL    NOT NULL,
  balanced_accuracy REAL    NOT NULL,
  macro_f1          REAL    NOT NULL,
  ece               REAL    NOT NULL,
  classes           TEXT    NOT NULL,
  confusion         TEXT    NOT NULL,
  per_class         TEXT    NOT NULL,
  reliability       TEXT    NOT NULL,
  created_at        INTEGER NOT NULL
);
CREATE INDEX evaluations_run_split ON evaluations (run_id, split, created_at);

CREATE TABLE predictions (
  id               INTEGER PRIMARY KEY,
  evaluation_id    INTEGER NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
  sample_key       TEXT    NOT NULL,
  sample_id        INTEGER REFERENCES samples (id) ON DELETE SET NULL,
  label            INTEGER NOT NULL,
  predicted        INTEGER NOT NULL,
  correct          INTEGER NOT NULL CHECK (correct IN (0, 1)),
  student_probs    BLOB    NOT NULL,
  offline_probs    BLOB,
  online_probs     BLOB,
  entropy_student  REAL    NOT NULL,
  entropy_offline  REAL,
  entropy_online   REAL,
  w_off            REAL,
  w_on             REAL,
  offline_correct  INTEGER,
  online_correct   INTEGER,
  confidence       REAL    NOT NULL,
  disagreement     REAL,
  UNIQUE (evaluation_id, sample_key)
);
CREATE INDEX predictions_cell ON predictions (evaluation_id, label, predicted, confidence);
CREATE INDEX predictions_entropy ON predictions (evaluation_id, entropy_student);
CREATE INDEX predictions_disagreement ON predictions (evaluation_id, disagreement);
CREATE INDEX predictions_w_off ON predictions (evaluation_id, w_off);
CREATE INDEX predictions_wrong_confident ON predictions (evaluation_id, confidence) WHERE correct = 0;
CREATE INDEX predictions_sample ON predictions (sample_id);

CREATE TABLE models (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('student', 'teacher', 'online')),
  dir         TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX models_run ON models (run_id, kind, created_at);

CREATE TABLE checkpoints (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id      INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  phase       TEXT    NOT NULL CHECK (phase IN ('teacher', 'student')),
  epoch       INTEGER NOT NULL,
  path        TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  UNIQUE (run_id, phase, epoch)
);

CREATE TABLE tags (
  run_id  INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  tag     TEXT    NOT NULL,
  PRIMARY KEY (run_id, tag)
) WITHOUT ROWID;
CREATE INDEX tags_tag ON tags (tag, run_id);
`;

/**
 * 2: models without a run (imported from a folder) and a `meta` JSON column (the model's sidecar:
 * backbone, classes, inputSize, channels, method, preprocess; '{}' for rows from version 1); batch
 * classifications of new chips with one model.
 *
 * `models` is rebuilt (SQLite cannot relax NOT NULL or a CHECK in place): copy, drop, rename. No
 * table references `models` before this migration, so the implicit delete of DROP TABLE cascades
 * nowhere. The AUTOINCREMENT counter is carried over so ids of deleted models are never reused.
 * Exactly the imported models have no run.
 */
const V2_IMPORTED_MODELS_AND_CLASSIFICATIONS = `
CREATE TABLE models_v2 (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id      INTEGER REFERENCES runs (id) ON DELETE CASCADE,
  kind        TEXT    NOT NULL CHECK (kind IN ('student', 'teacher', 'online', 'imported')),
  dir         TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  meta        TEXT    NOT NULL DEFAULT '{}',
  created_at  INTEGER NOT NULL,
  CHECK ((run_id IS NULL) = (kind = 'imported'))
);
INSERT INTO models_v2 (id, run_id, kind, dir, sha256, meta, created_at)
  SELECT id, run_id, kind, dir, sha256, '{}', created_at FROM models;
DELETE FROM sqlite_sequence WHERE name = 'models_v2';
INSERT INTO sqlite_sequence (name, seq) SELECT 'models_v2', seq FROM sqlite_sequence WHERE name = 'models';
DROP TABLE models;
ALTER TABLE models_v2 RENAME TO models;
CREATE INDEX models_run ON models (run_id, kind, created_at);
CREATE INDEX models_created ON models (created_at);

CREATE TABLE classifications (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  model_id     INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
  folder       TEXT    NOT NULL,
  classes      TEXT    NOT NULL,
  status       TEXT    NOT NULL DEFAULT 'queued'
               CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  skipped      TEXT    NOT NULL DEFAULT '[]',
  error        TEXT,
  created_at   INTEGER NOT NULL,
  finished_at  INTEGER
);
CREATE INDEX classifications_model ON classifications (model_id);
CREATE INDEX classifications_created ON classifications (created_at);
CREATE INDEX classifications_status ON classifications (status);

CREATE TABLE classification_rows (
  classification_id  INTEGER NOT NULL REFERENCES classifications (id) ON DELETE CASCADE,
  key                TEXT    NOT NULL,
  path               TEXT    NOT NULL,
  predicted          INTEGER NOT NULL,
  probs              BLOB    NOT NULL,
  confidence         REAL    NOT NULL,
  entropy            REAL    NOT NULL,
  flagged            INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
  lat                REAL,
  lon                REAL,
  PRIMARY KEY (classification_id, key)
) WITHOUT ROWID;
`;

/**
 * 3: experiments — one comparison (methods × seeds, optionally a τ sweep) on one dataset, and the role
 * each of its runs plays: 'teacher' (the CE run whose model is the frozen offline teacher of that
 * seed), 'method' (one method, one seed) or 'tau' (AURA-KD at one τ). A run may hold two roles
 * (the AURA-KD run at the base τ is also the τ sweep's point). Deleting a run drops its roles.
 */
const V3_EXPERIMENTS = `
CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  dataset_id  INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  spec        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE INDEX experiments_dataset ON experiments (dataset_id);

CREATE TABLE experiment_runs (
  experiment_id  INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  run_id         INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  role           TEXT    NOT NULL CHECK (role IN ('teacher', 'method', 'tau')),
  method         TEXT    NOT NULL,
  seed           INTEGER NOT NULL,
  tau            REAL    NOT NULL,
  PRIMARY KEY (experiment_id, run_id, role)
) WITHOUT ROWID;
CREATE INDEX experiment_runs_run ON experiment_runs (run_id);
`;

/**
 * 4: the process that owns a run's or a classification's job (`owner_pid`, set when the job is queued).
 * At start an app marks as interrupted only what a dead process left behind, never the live work of
 * another app or CLI on the same history. NULL (rows from before) counts as dead.
 */
const V4_JOB_OWNERS = `
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
ALTER TABLE classifications ADD COLUMN owner_pid INTEGER;
`;

/**
 * 5: the saved model a run distils from (`teacher_model_id`), set when the run is created with a chosen
 * teacher (a run's model or an imported one). The training job loads exactly that model. No foreign key:
 * the id stays after the model is deleted, so the run still says which teacher it used, and a run that
 * has not started yet fails with that reason instead of quietly training a new teacher. Model ids are
 * never reused (AUTOINCREMENT). NULL: the run trains its own teacher or takes its parent run's.
 */
const V5_TEACHER_MODEL = `
ALTER TABLE runs ADD COLUMN teacher_model_id INTEGER;
`;

/** Every migration, in order; `version` is 1-based and contiguous. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', sql: V1_INITIAL },
  { version: 2, name: 'imported models and classifications', sql: V2_IMPORTED_MODELS_AND_CLASSIFICATIONS },
  { version: 3, name: 'experiments', sql: V3_EXPERIMENTS },
  { version: 4, name: 'job owners', sql: V4_JOB_OWNERS },
  { version: 5, name: 'teacher model of a run', sql: V5_TEACHER_MODEL },
];

/** The schema version this build of the app writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
