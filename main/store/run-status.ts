/** The run life cycle. */
import type { RunStatus } from './types.js';

/**
 * Allowed moves. queued → running → done | failed | cancelled | interrupted; a queued run may also be
 * cancelled or fail before it starts; interrupted and cancelled runs are queued again on resume.
 * done and failed are final (a retrain is a new run with parentRunId).
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'cancelled', 'failed'],
  running: ['done', 'failed', 'cancelled', 'interrupted'],
  interrupted: ['queued'],
  cancelled: ['queued'],
  done: [],
  failed: [],
};

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function assertTransition(runId: number, from: RunStatus, to: RunStatus): void {
  if (!canTransition(from, to)) throw new Error(`run ${runId} cannot go from '${from}' to '${to}'`);
}
