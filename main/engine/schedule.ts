/** Learning-rate schedules, set once per epoch (so a resumed run gets exactly the same rates). */
export type LrSchedule = 'constant' | 'cosine';
export const LR_SCHEDULES: readonly LrSchedule[] = ['constant', 'cosine'];

/**
 * Rate for `epoch` (1-based) of a phase of `epochs` epochs. `cosine` decays from `base` at epoch 1
 * along half a cosine, to base·(1 − cos(π/epochs))/2 in the last epoch (never 0, so no epoch is wasted).
 */
export function learningRateAt(schedule: LrSchedule | undefined, base: number, epoch: number, epochs: number): number {
  if (schedule !== 'cosine' || epochs <= 1) return base;
  return (base * (1 + Math.cos((Math.PI * (epoch - 1)) / epochs))) / 2;
}
