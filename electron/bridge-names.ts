/**
 * The preload's allowlists. They repeat OPERATION_NAMES and EVENT_NAMES of main/api/contract.ts
 * because the sandboxed preload must not pull in the contract's runtime (zod): it may require
 * nothing but 'electron'. The types below fail to compile on an unknown or missing name, and
 * test/unit/electron/preload.test.ts checks the lists equal the contract's.
 */
import type { EventName, OperationName } from '../main/api/contract.js';

export const BRIDGE_OPERATION_NAMES = [
  'system.info',
  'jobs.list',
  'jobs.get',
  'jobs.cancel',
  'datasets.import',
  'datasets.importDemo',
  'datasets.list',
  'datasets.get',
  'datasets.chips',
  'datasets.delete',
  'runs.start',
  'runs.sweep',
  'runs.retrain',
  'runs.list',
  'runs.get',
  'runs.curves',
  'runs.compare',
  'runs.tag',
  'runs.note',
  'runs.cancel',
  'runs.resume',
  'runs.delete',
  'experiments.start',
  'experiments.list',
  'experiments.get',
  'experiments.report',
  'experiments.resume',
  'experiments.delete',
  'experiments.pool',
  'eval.get',
  'eval.cellChips',
  'eval.chip',
  'eval.rank',
  'models.list',
  'models.export',
  'models.import',
  'models.delete',
  'classify.start',
  'classify.get',
  'classify.list',
  'classify.flag',
  'classify.export',
  'classify.delete',
] as const satisfies readonly OperationName[];

export const BRIDGE_EVENT_NAMES = ['job', 'run', 'dataset', 'classification'] as const satisfies readonly EventName[];

type MissingOperation = Exclude<OperationName, (typeof BRIDGE_OPERATION_NAMES)[number]>;
type MissingEvent = Exclude<EventName, (typeof BRIDGE_EVENT_NAMES)[number]>;
/** Compile-time completeness: each is `true` only when no contract name is missing above. */
export const BRIDGE_NAMES_COMPLETE: { operations: [MissingOperation] extends [never] ? true : MissingOperation; events: [MissingEvent] extends [never] ? true : MissingEvent } = {
  operations: true,
  events: true,
};
