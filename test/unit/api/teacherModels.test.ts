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
  accuracy: 0.99,
  createdAt: '2026-12-05T17:00:00.000Z',
  ...patch,
});
const target = { classes: ['2S1', 'BMP2', 'T72'], inputSize: 64, channels: 1 };

describe('teacherModelProblem', () => {
  it("accepts a CE run's model and any run's offline teacher that fit the run", () => {
    expect(teacherModelProblem(model(), target)).toBeNull();
    expect(teacherModelProblem(model({ kind: 'teacher', method: 'aurakd', backbone: 'resnet18' }), target)).toBeNull();
  });

  it('says why a model cannot be the teacher', () => {
    expect(teacherModelProblem(model({ kind: 'student', method: 'kd' }), target)).toBe("model 7 is a KD student; a teacher is a run's offline teacher or a CE run's model");
    expect(teacherModelProblem(model({ kind: 'imported', runId: null, method: null }), target)).toBe('model 7 is imported; only a model from a run can be a teacher yet');
    expect(teacherModelProblem(model({ classes: ['2S1', 'T72', 'BMP2'] }), target)).toBe('model 7 knows the classes 2S1, T72, BMP2, this dataset 2S1, BMP2, T72');
    expect(teacherModelProblem(model({ inputSize: 88 }), target)).toBe('model 7 takes 88×88 chips with 1 band(s), this run 64×64 with 1');
    expect(teacherModelProblem(model(), { ...target, channels: 2 })).toBe('model 7 takes 64×64 chips with 1 band(s), this run 64×64 with 2');
  });
});
