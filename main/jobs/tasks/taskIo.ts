/** What a task may do towards its job: report progress and notice cancellation. */
import type { TrainProgress } from '../../engine/types.js';

export interface TaskIo {
  signal: AbortSignal;
  progress(fraction: number, message: string, etaSec?: number | null, train?: TrainProgress): void;
}
