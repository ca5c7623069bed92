/** Estimated time left in a whole run (teacher + student steps), from the step times measured so far. */
import type { TrainPhase } from './types.js';

export class EtaClock {
  private readonly done: Record<TrainPhase, number> = { teacher: 0, student: 0 };
  private readonly measured: Record<TrainPhase, number> = { teacher: 0, student: 0 };
  private readonly seconds: Record<TrainPhase, number> = { teacher: 0, student: 0 };

  constructor(private readonly total: Record<TrainPhase, number>) {}

  /** Steps finished before this process started (resumed from a checkpoint). */
  skip(phase: TrainPhase, steps: number): void {
    this.done[phase] += steps;
  }

  record(phase: TrainPhase, seconds: number): void {
    this.done[phase] += 1;
    this.measured[phase] += 1;
    this.seconds[phase] += seconds;
  }

  /** Mark a phase finished early (early stopping) so its remaining steps no longer count. */
  finish(phase: TrainPhase): void {
    this.total[phase] = this.done[phase];
  }

  etaSec(): number {
    const rate = (p: TrainPhase): number | null => (this.measured[p] > 0 ? this.seconds[p] / this.measured[p] : null);
    const fallback = rate('student') ?? rate('teacher') ?? 0;
    let eta = 0;
    for (const p of ['teacher', 'student'] as const) {
      eta += Math.max(0, this.total[p] - this.done[p]) * (rate(p) ?? fallback);
    }
    return eta;
  }
}
