/**
 * Which saved models can be a new run's frozen offline teacher: the rule `runs.start` enforces for
 * `teacherModelId` and the wizard's list of choices. A teacher is a run's offline teacher or a plain CE
 * run's model (what the training job loads for it), trained on the same classes, in the same order,
 * with the same input size and bands as the new run.
 */
import { METHOD_LABELS, type Method } from '../engine/config.js';
import type { ModelSummary } from './contract.js';

export interface TeacherTarget {
  classes: readonly string[];
  inputSize: number;
  channels: number;
}

/** Why `model` cannot be the teacher of a run on `target` (null when it can). */
export function teacherModelProblem(model: ModelSummary, target: TeacherTarget): string | null {
  if (model.runId === null) return `model ${model.id} is imported; only a model from a run can be a teacher yet`;
  if (model.kind !== 'teacher' && !(model.kind === 'student' && model.method === 'ce')) {
    const label = METHOD_LABELS[model.method as Method] ?? model.method ?? 'distilled';
    return `model ${model.id} is a ${label} student; a teacher is a run's offline teacher or a CE run's model`;
  }
  if (model.classes.join('\u0000') !== target.classes.join('\u0000')) {
    return `model ${model.id} knows the classes ${model.classes.join(', ')}, this dataset ${target.classes.join(', ')}`;
  }
  if (model.inputSize !== target.inputSize || model.channels !== target.channels) {
    return `model ${model.id} takes ${model.inputSize}×${model.inputSize} chips with ${model.channels} band(s), this run ${target.inputSize}×${target.inputSize} with ${target.channels}`;
  }
  return null;
}
