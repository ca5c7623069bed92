/** What every operation handler works with. */
import type { JobManager } from '../jobs/manager.js';
import type { History } from '../store/index.js';
import type { ApiEvents, ChipRef, EventName } from './contract.js';

export interface ServiceContext {
  history: History;
  jobs: JobManager;
  dataDir: string;
  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void;
  chipUrl(ref: ChipRef): string;
}
