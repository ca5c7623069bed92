/**
 * The runs of an experiment, in the order they must be queued. Per seed: the offline teacher first
 * (a plain CE run of the teacher backbone; its model is then the frozen teacher of that seed's KD
 * and AURA-KD runs, so every method of a seed distils from the very same teacher), then one run per
 * method; after all seeds, the τ sweep (AURA-KD at each τ). Nothing is trained twice: when the teacher backbone
 * and budget equal the student's, the CE baseline run is that teacher, and the AURA-KD run at the
 * base τ is also the sweep's point at that τ. With `sharedTeacher`, one teacher (trained with the
 * first seed, or that seed's CE baseline) is the frozen teacher of every seed: the spread over seeds
 * is then the students' alone, as with a pretrained teacher, and the teacher is trained once. With
 * `savedTeacher`, a model that already exists is that frozen teacher: no teacher run is planned, and
 * the caller links the KD and AURA-KD runs to it (`teacherIndex` stays null).
 */
import { methodNeeds, type Method, type TrainConfig } from '../engine/config.js';

export type PlannedRole = 'teacher' | 'method' | 'tau';

export interface PlannedRun {
  /** Position in the plan; `teacherOf` refers to it. */
  index: number;
  config: TrainConfig;
  /** Every role the run plays (a CE run may also be the teacher; AURA-KD at base τ is also a τ point). */
  roles: PlannedRole[];
  /** Index of the run whose model is this run's frozen offline teacher. */
  teacherIndex: number | null;
}

export interface ExperimentPlanInput {
  base: TrainConfig;
  methods: readonly Method[];
  seeds: readonly number[];
  taus: readonly number[];
  tauSeeds: readonly number[];
  /** One offline teacher for all seeds instead of one per seed. */
  sharedTeacher?: boolean;
  /** The offline teacher is a saved model: train none. */
  savedTeacher?: boolean;
}

export function planExperiment(input: ExperimentPlanInput): PlannedRun[] {
  const { base, methods, seeds, taus, tauSeeds, sharedTeacher = false, savedTeacher = false } = input;
  const plan: PlannedRun[] = [];
  const add = (config: TrainConfig, role: PlannedRole, teacherIndex: number | null): PlannedRun => {
    const run: PlannedRun = { index: plan.length, config, roles: [role], teacherIndex };
    plan.push(run);
    return run;
  };
  const withSeed = (seed: number, patch: Partial<TrainConfig>, tau = base.distill.tau): TrainConfig => ({
    ...base,
    ...patch,
    seed,
    distill: { ...base.distill, tau },
  });
  const teacherIsCeBaseline = !savedTeacher && base.teacher === base.student && base.teacherEpochs === base.epochs && methods.includes('ce');

  const seedNeedsTeacher = (seed: number) => !savedTeacher && (methods.some((m) => methodNeeds(m).offline) || (tauSeeds.includes(seed) && taus.length > 0));
  const teachers = new Map<number, PlannedRun | null>();
  const auraRuns = new Map<number, PlannedRun>();
  let shared: PlannedRun | null = null;
  for (const seed of seeds) {
    const needsTeacher = sharedTeacher ? seeds.some(seedNeedsTeacher) : seedNeedsTeacher(seed);
    let teacher: PlannedRun | null = shared;
    const orderedMethods = teacherIsCeBaseline ? ['ce' as Method, ...methods.filter((m) => m !== 'ce')] : methods;
    if (needsTeacher && !teacherIsCeBaseline && !teacher) {
      teacher = add(withSeed(seed, { method: 'ce', student: base.teacher, epochs: base.teacherEpochs }), 'teacher', null);
    }
    for (const method of orderedMethods) {
      const run = add(withSeed(seed, { method }), 'method', methodNeeds(method).offline ? (teacher?.index ?? null) : null);
      if (method === 'ce' && teacherIsCeBaseline && needsTeacher && !teacher) {
        run.roles.push('teacher');
        teacher = run;
      }
      if (method === 'aurakd') auraRuns.set(seed, run);
    }
    teachers.set(seed, teacher);
    if (sharedTeacher) shared = teacher;
  }
  // The τ sweep comes after every seed's comparison, so the main table fills first.
  for (const seed of seeds.filter((s) => tauSeeds.includes(s))) {
    for (const tau of taus) {
      const same = auraRuns.get(seed);
      if (same && tau === base.distill.tau) same.roles.push('tau');
      else add(withSeed(seed, { method: 'aurakd' }, tau), 'tau', teachers.get(seed)?.index ?? null);
    }
  }
  return plan;
}
