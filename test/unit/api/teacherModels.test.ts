import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../../main/api/contract.js';
import { teacherModelProblem } from '../../../main/api/teacherModels.js';

const model = (patch: Partial<ModelSummary> = {}): ModelSummary => ({
  id: 7,
  runId: 3,
  runName: 'CE sarnet seed 1',
  kind: 'student',
  dir: '/models/7',
  backbone: 'sarnet',
  method: 'ce',
  classes: ['2S1', 'BMP2', 'T72'],
  inputSize: 64,
  channels: 1,
  intensity: 'linear',
  normalise: 'chip',
  accuracy: 0.99,
  createdAt: '2026-12-05T17:00:00.000Z',
  ...patch,
});
const target = { classes: ['2S1', 'BMP2', 'T72'], inputSize: 64, channels: 1, intensity: 'linear', normalise: 'chip' };

describe('teacherModelProblem', () => {
  it('accepts any classifier the history keeps that fits the run: a CE model, a teacher, a distilled student, an imported model', () => {
    expect(teacherModelProblem(model(), target)).toBeNull();
    expect(teacherModelProblem(model({ kind: 'teacher', method: 'aurakd', backbone: 'resnet18' }), target)).toBeNull();
    expect(teacherModelProblem(model({ kind: 'student', method: 'kd' }), target)).toBeNull();
    expect(teacherModelProblem(model({ kind: 'imported', runId: null, method: null }), target)).toBeNull();
    // Models from before the sidecar recorded preprocessing are judged on what they do record.
    expect(teacherModelProblem(model({ intensity: null, normalise: null }), { ...target, intensity: 'db' })).toBeNull();
  });

  it('says why a model cannot be the teacher', () => {
    expect(teacherModelProblem(model({ kind: 'online' }), target)).toBe("model 7 is a run's previous-epoch student snapshot; pick that run's student or teacher");
    expect(teacherModelProblem(model({ classes: ['2S1', 'T72', 'BMP2'] }), target)).toBe('model 7 knows the classes 2S1, T72, BMP2, this dataset 2S1, BMP2, T72');
    expect(teacherModelProblem(model({ inputSize: 88 }), target)).toBe('model 7 takes 88×88 chips with 1 band(s), this run 64×64 with 1');
    expect(teacherModelProblem(model(), { ...target, channels: 2 })).toBe('model 7 takes 64×64 chips with 1 band(s), this run 64×64 with 2');
    expect(teacherModelProblem(model({ intensity: 'db' }), target)).toBe('model 7 was trained on db chips normalised chip, this run prepares linear chips normalised chip');
    expect(teacherModelProblem(model({ normalise: 'dataset' }), target)).toBe('model 7 was trained on linear chips normalised dataset, this run prepares linear chips normalised chip');
  });
});
