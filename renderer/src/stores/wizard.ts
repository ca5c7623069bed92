/** The train wizard: dataset → method & backbones (presets) → hyperparameters → review → start or sweep. */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { api } from '../api/client.js';
import type { Method } from '../api/types.js';
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
import { guarded } from './guard.js';

export type LaunchMode = 'single' | 'tau' | 'methods';
export const WIZARD_STEPS = ['Dataset', 'Method', 'Hyperparameters', 'Review'] as const;

export interface LaunchResult {
  runIds: number[];
  sweepId: string | null;
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

  const method = computed(() => String(values.value.method) as Method);
  const errors = computed(() => {
    const all = validateValues(values.value);
    const unused = unusedOptions(method.value);
    for (const key of Object.keys(all)) if (unused.has(key)) delete all[key];
    return all;
  });
  const patch = computed(() => buildConfigPatch(values.value, baseline.value));
  const changes = computed(() => changedOptions(values.value, baseline.value));
  const hidden = computed(() => unusedOptions(method.value));

  /** Why the current step cannot go on (null when it can). */
  const blocker = computed<string | null>(() => {
    if (step.value === 0 && datasetId.value === null) return 'Pick a dataset.';
    if (step.value >= 1 && Object.keys(errors.value).length > 0) return 'Fix the highlighted options first.';
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
    error.value = null;
    result.value = null;
  }

  /** Choose the dataset; its preprocessing becomes the starting point of the preprocessing options. */
  function setDataset(dataset: { id: number; preprocess: object }): void {
    const previous = baseline.value;
    datasetId.value = dataset.id;
    baseline.value = baselineFor(dataset.preprocess as Record<string, unknown>);
    const next = { ...values.value };
    for (const [key, value] of Object.entries(baseline.value)) {
      if (key.startsWith('preprocess.') && next[key] === previous[key]) next[key] = value;
    }
    values.value = next;
  }

  function setValue(key: string, value: OptionValue): void {
    values.value = { ...values.value, [key]: value };
    if (key !== 'method') preset.value = null;
  }

  function setMethod(m: Method): void {
    setValue('method', m);
    // A τ sweep means nothing without distillation.
    if (m === 'ce' && launch.value === 'tau') launch.value = 'single';
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
      error.value = 'Fix the highlighted options first.';
      return undefined;
    }
    error.value = null;
    const dsId = datasetId.value;
    const runName = name.value.trim() || undefined;
    const out = await guarded(error, submitting, async (): Promise<LaunchResult> => {
      if (launch.value === 'single') {
        const r = await api().call('runs.start', { datasetId: dsId, name: runName, config: patch.value });
        return { runIds: [r.runId], sweepId: null };
      }
      const sweep = launch.value === 'tau' ? 'tau' : 'methods';
      const sweepValues = launch.value === 'tau' ? [...TAU_SWEEP_VALUES] : [...METHOD_SWEEP_VALUES];
      const r = await api().call('runs.sweep', { datasetId: dsId, name: runName, config: patch.value, sweep, values: sweepValues });
      return { runIds: r.runIds, sweepId: r.sweepId };
    });
    if (out) result.value = out;
    return out;
  }

  return {
    step, datasetId, values, baseline, preset, name, launch, submitting, error, result,
    method, errors, patch, changes, hidden, blocker,
    reset, setDataset, setValue, setMethod, usePreset, goTo, next, back, submit,
  };
});
