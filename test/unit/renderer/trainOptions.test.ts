import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, TRAIN_OPTION_SPECS } from '../../../main/engine/config.js';
import {
  OPTION_GROUPS,
  applyPreset,
  baselineFor,
  buildConfigPatch,
  changedOptions,
  defaultValues,
  flatten,
  unusedOptions,
  validateOption,
  validateValues,
} from '../../../renderer/src/lib/trainOptions.js';

describe('train options', () => {
  it('starts from every spec default', () => {
    const values = defaultValues();
    expect(Object.keys(values)).toHaveLength(TRAIN_OPTION_SPECS.length);
    expect(values['distill.tau']).toBe(4);
    expect(values['preprocess.channels']).toBe('1');
    expect(validateValues(values)).toEqual({});
  });

  it('groups every option except method and backbones exactly once', () => {
    const grouped = OPTION_GROUPS.flatMap((g) => g.keys).sort();
    const expected = TRAIN_OPTION_SPECS.map((s) => s.key)
      .filter((k) => !['method', 'student', 'teacher'].includes(k))
      .sort();
    expect(grouped).toEqual(expected);
  });

  it('flattens nested config into dotted keys', () => {
    expect(flatten({ a: 1, d: { tau: 2, x: { y: true } } })).toEqual({ a: 1, 'd.tau': 2, 'd.x.y': true });
  });

  it('applies the paper preset: ResNet50 → ResNet18, Adam 1e-4, wd 1e-2, 10 + 15 epochs, τ 4', () => {
    const v = applyPreset(defaultValues(), 'paper');
    expect([v.teacher, v.student, v.learningRate, v.weightDecay, v.teacherEpochs, v.epochs, v['distill.tau']]).toEqual(['resnet50', 'resnet18', 1e-4, 1e-2, 10, 15, 4]);
    const f = applyPreset(v, 'fastCpu');
    expect([f.student, f.teacher, f.learningRate]).toEqual(['sarnet', 'resnet18', 1e-3]);
  });

  it('validates ranges, integers and enum values with readable messages', () => {
    const epochs = TRAIN_OPTION_SPECS.find((s) => s.key === 'epochs')!;
    const method = TRAIN_OPTION_SPECS.find((s) => s.key === 'method')!;
    expect(validateOption(epochs, 0)).toBe('Must be between 1 and 500.');
    expect(validateOption(epochs, 2.5)).toBe('Enter a whole number.');
    expect(validateOption(epochs, Number.NaN)).toBe('Enter a number.');
    expect(validateOption(epochs, 12)).toBeNull();
    expect(validateOption(method, 'dkd')).toBe('Choose one of: ce, kd, selfkd, aurakd.');
    expect(validateValues({ ...defaultValues(), learningRate: 2 })).toEqual({ learningRate: 'Must be between 1e-6 and 1.' });
  });

  it('knows which options each method ignores', () => {
    expect(unusedOptions('aurakd').size).toBe(0);
    expect([...unusedOptions('ce')]).toEqual(expect.arrayContaining(['teacher', 'teacherEpochs', 'distill.tau', 'distill.alpha']));
    expect(unusedOptions('kd').has('distill.tau')).toBe(false);
    expect(unusedOptions('kd').has('distill.beta')).toBe(true);
    expect(unusedOptions('selfkd').has('distill.offlinePrior')).toBe(true);
    expect(unusedOptions('selfkd').has('teacher')).toBe(true);
    expect(unusedOptions('selfkd').has('distill.tau')).toBe(false);
    // The online teacher's temperature: Self-KD and AURA-KD have an online teacher, KD does not.
    expect([unusedOptions('kd').has('distill.tauOnline'), unusedOptions('selfkd').has('distill.tauOnline'), unusedOptions('ce').has('distill.tauOnline')]).toEqual([true, false, true]);
  });

  it('builds a nested patch of changed options plus method and backbones', () => {
    const v = { ...defaultValues(), epochs: 2, 'distill.tau': 2, 'preprocess.channels': '2', 'augment.flip': true };
    expect(buildConfigPatch(v)).toEqual({
      method: 'aurakd',
      student: 'sarnet',
      teacher: 'resnet18',
      epochs: 2,
      distill: { tau: 2 },
      augment: { flip: true },
      preprocess: { channels: 2 },
    });
  });

  it('leaves options the method ignores out of the patch', () => {
    const v = { ...defaultValues(), method: 'ce', teacherEpochs: 3, 'distill.tau': 8, epochs: 3 };
    expect(buildConfigPatch(v)).toEqual({ method: 'ce', student: 'sarnet', epochs: 3 });
    expect(changedOptions(v)).toEqual([
      { key: 'method', from: 'aurakd', to: 'ce' },
      { key: 'epochs', from: 15, to: 3 },
    ]);
  });

  it('compares against the dataset’s preprocessing, not only the spec defaults', () => {
    const baseline = baselineFor({ size: 48, fit: 'crop', intensity: 'db', normalise: 'chip', channels: 1 });
    expect([baseline['preprocess.size'], baseline['preprocess.intensity'], baseline['preprocess.channels']]).toEqual([48, 'db', '1']);
    const v = { ...baseline, 'preprocess.size': 64 };
    expect(buildConfigPatch(v, baseline)).toEqual({ method: 'aurakd', student: 'sarnet', teacher: 'resnet18', preprocess: { size: 64 } });
    expect(buildConfigPatch(baseline, baseline)).toEqual({ method: 'aurakd', student: 'sarnet', teacher: 'resnet18' });
    expect(changedOptions(v, baseline)).toEqual([{ key: 'preprocess.size', from: 48, to: 64 }]);
  });

  it('matches the engine defaults it mirrors', () => {
    expect(defaultValues().epochs).toBe(DEFAULT_TRAIN_CONFIG.epochs);
    expect(defaultValues()['distill.beta']).toBe(DEFAULT_TRAIN_CONFIG.distill.beta);
  });
});
