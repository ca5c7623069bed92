/** Messages between the job manager (parent) and a job worker process (child). */
import type { BackendPreference } from '../engine/config.js';
import type { TrainProgress } from '../engine/types.js';

export type WorkerTask =
  | { type: 'train'; runId: number; resume: boolean }
  | {
      type: 'import';
      datasetName: string;
      root: string;
      valFraction: number;
      testFraction: number;
      seed: number;
      groupBy: 'none' | 'scene';
      preprocess: Record<string, unknown> | undefined;
      demo: { seed: number; perClass: number } | null;
      /** A separate folder of test chips (`<dir>/<class>/*`). */
      testRoot?: string;
    }
  | { type: 'classify'; classificationId: number };

export interface WorkerContext {
  dataDir: string;
  databasePath: string;
  backend: BackendPreference;
}

export type ParentMessage = { type: 'start'; task: WorkerTask; context: WorkerContext } | { type: 'cancel' };

export type WorkerMessage =
  | { type: 'progress'; fraction: number; message: string; etaSec: number | null; train?: TrainProgress }
  | { type: 'done'; datasetId?: number; message: string }
  | { type: 'cancelled'; message: string }
  | { type: 'error'; message: string };

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
