/** The train wizard: dataset → method & backbones (presets) → hyperparameters → review → start a run, a sweep or an experiment. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api/client.js';
import { DEFAULT_TRAIN_CONFIG, methodNeeds, suggestBalancedSampling } from '../../../main/engine/config.js';
import { teacherModelProblem } from '../../../main/api/teacherModels.js';
import { planExperiment } from '../../../main/experiments/plan.js';
import type { Method, ModelSummary, TrainConfig } from '../api/types.js';
import {
  METHOD_SWEEP_VALUES,
  TAU_SWEEP_VALUES,
  applyPreset,
  baselineFor,
  buildConfigPatch,
  changedOptions,
  defaultValues,
  unusedOptions,
  validateValues,
} from '../lib/trainOptions.js';
import type { OptionValue, OptionValues, PresetName } from '../lib/trainOptions.js';
import { parseSeeds, parseTaus } from './experiments.js';
import { guarded } from './guard.js';

export type LaunchMode = 'single' | 'tau' | 'methods' | 'experiment';
export const WIZARD_STEPS = ['Dataset', 'Method', 'Hyperparameters', 'Review'] as const;

export interface LaunchResult {
  runIds: number[];
  sweepId: string | null;
  /** Set when an experiment was started. */
  experimentId: number | null;
}

/** The experiment launch inputs: which methods, over which seeds, and an optional AURA-KD τ sweep. */
export interface ExperimentInputs {
  methods: Method[];
  seeds: string;
  tauSweep: boolean;
  taus: string;
  /** One offline teacher (trained with the first seed) for every seed. */
  sharedTeacher: boolean;
}

export const EXPERIMENT_DEFAULTS: Readonly<ExperimentInputs> = { methods: [...METHOD_SWEEP_VALUES], seeds: '1, 2, 3', tauSweep: false, taus: TAU_SWEEP_VALUES.join(', '), sharedTeacher: false };

/** The full TrainConfig the values describe (over the spec defaults), for planning. */
function configOf(values: OptionValues): TrainConfig {
  const p = buildConfigPatch({ ...values, method: 'aurakd' }, defaultValues()) as Partial<TrainConfig>;
  const d = DEFAULT_TRAIN_CONFIG;
  return { ...d, ...p, distill: { ...d.distill, ...p.distill }, augment: { ...d.augment, ...p.augment }, preprocess: { ...d.preprocess, ...p.preprocess } };
}

/** An experiment varies the method, so every option counts (as for AURA-KD); method and seed come from the launch inputs. */
function experimentPatch(values: OptionValues, baseline: OptionValues): Record<string, unknown> {
  const { method: _method, seed: _seed, ...patch } = buildConfigPatch({ ...values, method: 'aurakd' }, baseline);
  return patch;
}

export const useWizardStore = defineStore('wizard', () => {
  const step = ref(0);
  const datasetId = ref<number | null>(null);
  const values = ref<OptionValues>(defaultValues());
  /** What the API would use for an option left out: spec defaults + the chosen dataset's preprocessing. */
  const baseline = ref<OptionValues>(defaultValues());
  const preset = ref<PresetName | null>(null);
  const name = ref('');
  const launch = ref<LaunchMode>('single');
  const submitting = ref(false);
  const error = ref<string | null>(null);
  const result = ref<LaunchResult | null>(null);
  const experiment = ref<ExperimentInputs>({ ...EXPERIMENT_DEFAULTS, methods: [...EXPERIMENT_DEFAULTS.methods] });
  /** Whether the analyst set class-balanced batches themselves (a dataset's suggestion then leaves it alone). */
  const balancedTouched = ref(false);
  /** The chosen dataset's classes, and the saved models (for a teacher from the history instead of a new one). */
  const datasetClasses = ref<string[]>([]);
  const savedModels = ref<ModelSummary[]>([]);
  /** A saved model as the frozen offline teacher (null: train a new teacher first). */
  const teacherModelId = ref<number | null>(null);
  let countsRequest = 0;

  const method = computed(() => String(values.value.method) as Method);
  /** What a saved teacher must fit: this dataset's classes and the chips as these settings prepare them. */
  const teacherTarget = computed(() => {
    const v = values.value;
    return {
      classes: datasetClasses.value,
      inputSize: Number(v['preprocess.size']),
      channels: Number(v['preprocess.channels']),
      intensity: String(v['preprocess.intensity']),
      normalise: String(v['preprocess.normalise']),
    };
  });
  /** Saved models that can be this run's teacher (the rule runs.start enforces). */
  const teacherChoices = computed(() => savedModels.value.filter((m) => teacherModelProblem(m, teacherTarget.value) === null));
  /** The saved teacher this launch (run, sweep or experiment) distils from, when the method uses an offline teacher. */
  const teacherModel = computed(() => (teacherModelId.value !== null && methodNeeds(method.value).offline ? (teacherChoices.value.find((m) => m.id === teacherModelId.value) ?? null) : null));
  /** The chosen saved model, whether or not it fits the current settings. */
  const chosenTeacher = computed(() => savedModels.value.find((m) => m.id === teacherModelId.value) ?? null);
  const teacherProblem = computed<string | null>(() => {
    if (teacherModelId.value === null || !methodNeeds(method.value).offline || teacherModel.value) return null;
    const model = chosenTeacher.value;
    const why = model ? teacherModelProblem(model, teacherTarget.value) : 'it is not in the history any more';
    return `Saved teacher model #${teacherModelId.value} does not fit: ${why}. Pick another or train a new teacher.`;
  });
  const errors = computed(() => {
    const all = validateValues(values.value);
    const unused = launch.value === 'experiment' ? new Set<string>() : unusedOptions(method.value);
    for (const key of Object.keys(all)) if (unused.has(key)) delete all[key];
    return all;
  });
  const patch = computed(() => buildConfigPatch(values.value, baseline.value));
  const hidden = computed(() => {
    const unused = unusedOptions(method.value);
    // With a saved teacher nothing about training one applies.
    if (teacherModel.value) ['teacher', 'teacherEpochs'].forEach((k) => unused.add(k));
    return unused;
  });
  const changes = computed(() => changedOptions(values.value, baseline.value).filter((c) => !hidden.value.has(c.key)));
  const seedList = computed(() => parseSeeds(experiment.value.seeds));
  const tauList = computed(() => (experiment.value.tauSweep ? parseTaus(experiment.value.taus) : []));
  /** Why the experiment inputs cannot be launched (null when they can). */
  const experimentProblem = computed<string | null>(() => {
    const optionError = Object.entries(errors.value)[0];
    if (optionError) return `Option ${optionError[0]}: ${optionError[1]}`;
    if (experiment.value.methods.length === 0) return 'Pick at least one method to compare.';
    if (typeof seedList.value === 'string') return `Seeds: ${seedList.value}`;
    if (typeof tauList.value === 'string') return `τ sweep: ${tauList.value}`;
    if (teacherModel.value && !experiment.value.methods.some((m) => methodNeeds(m).offline) && !experiment.value.tauSweep) {
      return 'A saved teacher needs KD, AURA-KD or the τ sweep among the runs.';
    }
    return null;
  });
  /** Runs the experiment will queue (offline teachers included), or null while its inputs are invalid. */
  const experimentRunCount = computed<number | null>(() => {
    if (experimentProblem.value) return null;
    const seeds = seedList.value as number[];
    const taus = tauList.value as number[];
    const methods = experiment.value.methods;
    const saved = teacherModel.value !== null;
    return planExperiment({ base: configOf(values.value), methods, seeds, taus, tauSeeds: taus.length ? [seeds[0]] : [], sharedTeacher: experiment.value.sharedTeacher || saved, savedTeacher: saved }).length;
  });

  /** Why the current step cannot go on (null when it can). */
  const blocker = computed<string | null>(() => {
    if (step.value === 0 && datasetId.value === null) return 'Pick a dataset.';
    if (step.value >= 1 && Object.keys(errors.value).length > 0) return 'Fix the highlighted options first.';
    if (step.value >= 1 && teacherProblem.value) return teacherProblem.value;
    return null;
  });

  function reset(): void {
    step.value = 0;
    datasetId.value = null;
    baseline.value = defaultValues();
    values.value = defaultValues();
    preset.value = null;
    name.value = '';
    launch.value = 'single';
    experiment.value = { ...EXPERIMENT_DEFAULTS, methods: [...EXPERIMENT_DEFAULTS.methods] };
    balancedTouched.value = false;
    datasetClasses.value = [];
    teacherModelId.value = null;
    countsRequest++;
    error.value = null;
    result.value = null;
  }

  function toggleExperimentMethod(m: Method): void {
    const ms = experiment.value.methods;
    const next = ms.includes(m) ? ms.filter((x) => x !== m) : [...ms, m];
    experiment.value = { ...experiment.value, methods: METHOD_SWEEP_VALUES.filter((x) => next.includes(x)) };
  }

  /**
   * Choose the dataset: its preprocessing becomes the starting point of the preprocessing options, and
   * class-balanced batches default to on when its training split is imbalanced — as the API decides
   * for an option left out. The class counts come with a DatasetDetail, else they are fetched.
   */
  async function setDataset(dataset: { id: number; classes: string[]; preprocess: object; classCounts?: { train: number[] } }): Promise<void> {
    const previous = baseline.value;
    // A teacher chosen for another dataset goes; one chosen before any dataset (from the Models view) stays.
    if (datasetId.value !== null && datasetId.value !== dataset.id) teacherModelId.value = null;
    datasetId.value = dataset.id;
    datasetClasses.value = [...dataset.classes];
    const nextBaseline = baselineFor(dataset.preprocess as Record<string, unknown>);
    const next = { ...values.value };
    for (const [key, value] of Object.entries(nextBaseline)) {
      if (key.startsWith('preprocess.') && next[key] === previous[key]) next[key] = value;
    }
    // Until this dataset's class counts are known, it keeps the previous suggestion.
    nextBaseline.balancedSampling = previous.balancedSampling;
    baseline.value = nextBaseline;
    values.value = next;
    const mine = ++countsRequest;
    const train = dataset.classCounts?.train ?? (await guarded(error, null, async () => (await api().call('datasets.get', { datasetId: dataset.id })).classCounts.train));
    if (!train || mine !== countsRequest) return;
    const suggested = suggestBalancedSampling(train);
    baseline.value = { ...baseline.value, balancedSampling: suggested };
    if (!balancedTouched.value) values.value = { ...values.value, balancedSampling: suggested };
  }

  function setValue(key: string, value: OptionValue): void {
    values.value = { ...values.value, [key]: value };
    if (key === 'balancedSampling') balancedTouched.value = true;
    if (key !== 'method') preset.value = null;
  }

  function setMethod(m: Method): void {
    setValue('method', m);
    // A τ sweep means nothing without distillation.
    if (m === 'ce' && launch.value === 'tau') launch.value = 'single';
  }

  /** The saved models, for the teacher choice (the method step loads them when it opens). */
  async function loadSavedModels(): Promise<void> {
    const models = await guarded(error, null, () => api().call('models.list', {}));
    if (models) savedModels.value = models;
  }

  /** Distil from a saved model, or null to train a new teacher first. */
  function setTeacherModel(id: number | null): void {
    teacherModelId.value = id;
  }

  /** A fresh launch that distils from saved model `id` (the Models view's "Distil from"): AURA-KD, dataset still to pick. */
  async function startFromTeacher(id: number): Promise<void> {
    reset();
    setMethod('aurakd');
    teacherModelId.value = id;
    await loadSavedModels();
  }

  function usePreset(p: PresetName): void {
    values.value = applyPreset(values.value, p);
    preset.value = p;
  }

  function goTo(target: number): void {
    if (target < 0 || target >= WIZARD_STEPS.length) return;
    if (target > step.value && blocker.value) {
      error.value = blocker.value;
      return;
    }
    error.value = null;
    step.value = target;
  }

  function next(): void {
    goTo(step.value + 1);
  }

  function back(): void {
    goTo(step.value - 1);
  }

  async function submit(): Promise<LaunchResult | undefined> {
    if (datasetId.value === null) {
      error.value = 'Pick a dataset.';
      return undefined;
    }
    if (Object.keys(errors.value).length > 0) {
      const [key, problem] = Object.entries(errors.value)[0];
      error.value = launch.value === 'experiment' ? `Option ${key}: ${problem}` : 'Fix the highlighted options first.';
      return undefined;
    }
    if (teacherProblem.value) {
      error.value = teacherProblem.value;
      return undefined;
    }
    if (launch.value === 'experiment' && experimentProblem.value) {
      error.value = experimentProblem.value;
      return undefined;
    }
    error.value = null;
    const dsId = datasetId.value;
    const runName = name.value.trim() || undefined;
    const teacher = teacherModel.value ? { teacherModelId: teacherModel.value.id } : {};
    const out = await guarded(error, submitting, async (): Promise<LaunchResult> => {
      if (launch.value === 'single') {
        const r = await api().call('runs.start', { datasetId: dsId, name: runName, config: patch.value, ...teacher });
        return { runIds: [r.runId], sweepId: null, experimentId: null };
      }
      if (launch.value === 'experiment') {
        const taus = tauList.value as number[];
        const r = await api().call('experiments.start', {
          datasetId: dsId,
          name: runName,
          config: experimentPatch(values.value, baseline.value),
          methods: [...experiment.value.methods],
          seeds: seedList.value as number[],
          taus,
          sharedTeacher: experiment.value.sharedTeacher,
          ...teacher,
        });
        return { runIds: r.runIds, sweepId: null, experimentId: r.experimentId };
      }
      const sweep = launch.value === 'tau' ? 'tau' : 'methods';
      const sweepValues = launch.value === 'tau' ? [...TAU_SWEEP_VALUES] : [...METHOD_SWEEP_VALUES];
      const r = await api().call('runs.sweep', { datasetId: dsId, name: runName, config: patch.value, sweep, values: sweepValues, ...teacher });
      return { runIds: r.runIds, sweepId: r.sweepId, experimentId: null };
    });
    if (out) result.value = out;
    return out;
  }

  return {
    step, datasetId, values, baseline, preset, name, launch, submitting, error, result, experiment, teacherModelId,
    method, errors, patch, changes, hidden, blocker, seedList, tauList, experimentProblem, experimentRunCount, teacherChoices, teacherModel, teacherProblem, chosenTeacher,
    reset, setDataset, setValue, setMethod, usePreset, goTo, next, back, submit, toggleExperimentMethod, loadSavedModels, setTeacherModel, startFromTeacher,
  };
});
