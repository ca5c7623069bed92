import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_CONFIG, METHODS, type TrainConfig } from '../../../main/engine/config.js';
import { planExperiment } from '../../../main/experiments/plan.js';

const base: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, student: 'sarnet', teacher: 'resnet18', epochs: 8, teacherEpochs: 6 };
const brief = (p: ReturnType<typeof planExperiment>) =>
  p.map((r) => `${r.index}:${r.config.method}/${r.config.student}/s${r.config.seed}/τ${r.config.distill.tau}/e${r.config.epochs} ${r.roles.join('+')}${r.teacherIndex === null ? '' : ` ←${r.teacherIndex}`}`);

describe('planExperiment', () => {
  it('trains one CE teacher per seed first; KD and AURA-KD of that seed distil from it', () => {
    const plan = planExperiment({ base, methods: METHODS, seeds: [1, 2], taus: [], tauSeeds: [] });
    expect(brief(plan)).toEqual([
      '0:ce/resnet18/s1/τ4/e6 teacher',
      '1:ce/sarnet/s1/τ4/e8 method',
      '2:kd/sarnet/s1/τ4/e8 method ←0',
      '3:selfkd/sarnet/s1/τ4/e8 method',
      '4:aurakd/sarnet/s1/τ4/e8 method ←0',
      '5:ce/resnet18/s2/τ4/e6 teacher',
      '6:ce/sarnet/s2/τ4/e8 method',
      '7:kd/sarnet/s2/τ4/e8 method ←5',
      '8:selfkd/sarnet/s2/τ4/e8 method',
      '9:aurakd/sarnet/s2/τ4/e8 method ←5',
    ]);
    expect(plan[0].config.teacher).toBe('resnet18');
  });

  it('with a saved teacher plans no teacher run, not even the matching CE baseline; the caller links KD and AURA-KD to the model', () => {
    const same = { ...base, teacher: 'sarnet' as const, teacherEpochs: 8 };
    const plan = planExperiment({ base: same, methods: ['ce', 'kd', 'aurakd'], seeds: [1, 2], taus: [2], tauSeeds: [1], savedTeacher: true });
    expect(brief(plan)).toEqual([
      '0:ce/sarnet/s1/τ4/e8 method',
      '1:kd/sarnet/s1/τ4/e8 method',
      '2:aurakd/sarnet/s1/τ4/e8 method',
      '3:ce/sarnet/s2/τ4/e8 method',
      '4:kd/sarnet/s2/τ4/e8 method',
      '5:aurakd/sarnet/s2/τ4/e8 method',
      '6:aurakd/sarnet/s1/τ2/e8 tau',
    ]);
  });

  it('reuses the CE baseline as teacher when backbone and budget match, and the base-τ AURA-KD run as a sweep point; the sweep comes last', () => {
    const same = { ...base, teacher: 'sarnet' as const, teacherEpochs: 8 };
    const plan = planExperiment({ base: same, methods: ['aurakd', 'ce', 'kd'], seeds: [1, 2], taus: [2, 4, 8], tauSeeds: [1] });
    expect(brief(plan)).toEqual([
      '0:ce/sarnet/s1/τ4/e8 method+teacher',
      '1:aurakd/sarnet/s1/τ4/e8 method+tau ←0',
      '2:kd/sarnet/s1/τ4/e8 method ←0',
      '3:ce/sarnet/s2/τ4/e8 method+teacher',
      '4:aurakd/sarnet/s2/τ4/e8 method ←3',
      '5:kd/sarnet/s2/τ4/e8 method ←3',
      '6:aurakd/sarnet/s1/τ2/e8 tau ←0',
      '7:aurakd/sarnet/s1/τ8/e8 tau ←0',
    ]);
  });

  it('needs no teacher for CE and Self-KD alone; a τ sweep alone still gets one', () => {
    expect(brief(planExperiment({ base, methods: ['ce', 'selfkd'], seeds: [3], taus: [], tauSeeds: [] }))).toEqual([
      '0:ce/sarnet/s3/τ4/e8 method',
      '1:selfkd/sarnet/s3/τ4/e8 method',
    ]);
    expect(brief(planExperiment({ base, methods: ['ce'], seeds: [3], taus: [1, 6], tauSeeds: [3] }))).toEqual([
      '0:ce/resnet18/s3/τ4/e6 teacher',
      '1:ce/sarnet/s3/τ4/e8 method',
      '2:aurakd/sarnet/s3/τ1/e8 tau ←0',
      '3:aurakd/sarnet/s3/τ6/e8 tau ←0',
    ]);
  });

  it('with sharedTeacher trains one teacher (first seed) before everything; every seed and the sweep distil from it', () => {
    const plan = planExperiment({ base, methods: ['ce', 'kd', 'aurakd'], seeds: [1, 2], taus: [2], tauSeeds: [2], sharedTeacher: true });
    expect(brief(plan)).toEqual([
      '0:ce/resnet18/s1/τ4/e6 teacher',
      '1:ce/sarnet/s1/τ4/e8 method',
      '2:kd/sarnet/s1/τ4/e8 method ←0',
      '3:aurakd/sarnet/s1/τ4/e8 method ←0',
      '4:ce/sarnet/s2/τ4/e8 method',
      '5:kd/sarnet/s2/τ4/e8 method ←0',
      '6:aurakd/sarnet/s2/τ4/e8 method ←0',
      '7:aurakd/sarnet/s2/τ2/e8 tau ←0',
    ]);
  });

  it('with sharedTeacher and a matching budget the first seed\'s CE baseline is every seed\'s teacher', () => {
    const same = { ...base, teacher: 'sarnet' as const, teacherEpochs: 8 };
    expect(brief(planExperiment({ base: same, methods: ['ce', 'aurakd'], seeds: [4, 5], taus: [], tauSeeds: [], sharedTeacher: true }))).toEqual([
      '0:ce/sarnet/s4/τ4/e8 method+teacher',
      '1:aurakd/sarnet/s4/τ4/e8 method ←0',
      '2:ce/sarnet/s5/τ4/e8 method',
      '3:aurakd/sarnet/s5/τ4/e8 method ←0',
    ]);
  });
});
