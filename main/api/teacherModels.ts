/**
 * Which saved models can be a new run's frozen offline teacher: the rule `runs.start` enforces for
 * `teacherModelId` and the wizard's list of choices. Any classifier the history keeps can teach: a run's
 * offline teacher, a run's student (a CE baseline, or a distilled student for born-again distillation) or
 * an imported model; the run records the model and the training job loads exactly it. It must know the same
 * classes, in the same order, and take the same input size, bands, intensity scale and normalisation as the
 * new run. A run's `online`
 * model (its student one epoch earlier, kept for inspection) is not offered.
 */
import type { ModelSummary } from './contract.js';

export interface TeacherTarget {
  classes: readonly string[];
  inputSize: number;
  channels: number;
  intensity: string;
  normalise: string;
}

/** Why `model` cannot be the teacher of a run on `target` (null when it can). */
export function teacherModelProblem(model: ModelSummary, target: TeacherTarget): string | null {
  if (model.kind === 'online') return `model ${model.id} is a run's previous-epoch student snapshot; pick that run's student or teacher`;
  if (model.classes.join('\u0000') !== target.classes.join('\u0000')) {
    return `model ${model.id} knows the classes ${model.classes.join(', ')}, this dataset ${target.classes.join(', ')}`;
  }
  if (model.inputSize !== target.inputSize || model.channels !== target.channels) {
    return `model ${model.id} takes ${model.inputSize}×${model.inputSize} chips with ${model.channels} band(s), this run ${target.inputSize}×${target.inputSize} with ${target.channels}`;
  }
  // The teacher sees the run's chips as they are prepared for the student: the same intensity scale and normalisation.
  if ((model.intensity !== null && model.intensity !== target.intensity) || (model.normalise !== null && model.normalise !== target.normalise)) {
    return `model ${model.id} was trained on ${model.intensity ?? target.intensity} chips normalised ${model.normalise ?? target.normalise}, this run prepares ${target.intensity} chips normalised ${target.normalise}`;
  }
  return null;
}
