/** Public surface of the run history store. */
export { openHistory, defaultDataDir, defaultHistoryFile, APP_DIR_NAME, HISTORY_FILE_NAME } from './db.js';
export type { History, OpenHistoryOptions } from './db.js';
export { SCHEMA_VERSION } from './migrations.js';
export { canTransition, RUN_TRANSITIONS } from './run-status.js';
export { configDiff } from './compare.js';
export { CLASSIFICATION_TRANSITIONS, INTERRUPTED_ERROR } from './classifications.js';
export type { ClassificationRepo } from './classifications.js';
export type { RunSummaryPatch } from './runs.js';
export * from './types.js';
export type { ExperimentRecord, ExperimentRepo, ExperimentRole, ExperimentRunRecord, ExperimentSpec } from './experiments.js';
