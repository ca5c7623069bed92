/**
 * Whether a trained model takes a run's chips as that run prepares them: the same classes in the same
 * order, input size, bands, and (where the model records them) intensity scale and normalisation. One
 * rule for the API boundary (a chosen teacher), the wizard's choices and the training job's last check.
 */
export interface ChipTarget {
  classes: readonly string[];
  inputSize: number;
  channels: number;
  intensity: string;
  normalise: string;
}

export interface TrainedOn {
  id: number;
  classes: readonly string[];
  inputSize: number;
  channels: number;
  /** null: not recorded (models from before the sidecar kept preprocessing). */
  intensity: string | null;
  normalise: string | null;
}

/** The target of a run on `classes` whose chips are prepared with `p`. */
export function chipTarget(classes: readonly string[], p: { size: number; channels: number; intensity: string; normalise: string }): ChipTarget {
  return { classes, inputSize: p.size, channels: p.channels, intensity: p.intensity, normalise: p.normalise };
}

/** Why model `m` cannot take the chips of `target` (null when it can). */
export function chipFitProblem(m: TrainedOn, target: ChipTarget): string | null {
  if (m.classes.join('\u0000') !== target.classes.join('\u0000')) {
    return `model ${m.id} knows the classes ${m.classes.join(', ')}, this dataset ${target.classes.join(', ')}`;
  }
  if (m.inputSize !== target.inputSize || m.channels !== target.channels) {
    return `model ${m.id} takes ${m.inputSize}×${m.inputSize} chips with ${m.channels} band(s), this run ${target.inputSize}×${target.inputSize} with ${target.channels}`;
  }
  if ((m.intensity !== null && m.intensity !== target.intensity) || (m.normalise !== null && m.normalise !== target.normalise)) {
    return `model ${m.id} was trained on ${m.intensity ?? target.intensity} chips normalised ${m.normalise ?? target.normalise}, this run prepares ${target.intensity} chips normalised ${target.normalise}`;
  }
  return null;
}
