/**
 * Which saved models can be a new run's frozen offline teacher: the rule `runs.start` enforces for
 * `teacherModelId` and the wizard's list of choices. Any classifier the history keeps can teach: a run's
 * offline teacher, a run's student (a CE baseline, or a distilled student for born-again distillation) or
 * an imported model; the run records the model and the training job loads exactly it. It must know the same
 * classes, in the same order, and take the same input size, bands, intensity scale and normalisation as the
 * new run (engine/modelFit.ts). A run's `online` model (its student one epoch earlier, kept for inspection)
 * is not offered.
 */
import { chipFitProblem, type ChipTarget } from '../engine/modelFit.js';
import type { ModelSummary } from './contract.js';

/** Why `model` cannot be the teacher of a run on `target` (null when it can). */
export function teacherModelProblem(model: ModelSummary, target: ChipTarget): string | null {
  if (model.kind === 'online') return `model ${model.id} is a run's previous-epoch student snapshot; pick that run's student or teacher`;
  return chipFitProblem(model, target);
}
