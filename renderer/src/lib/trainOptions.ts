/** The wizard's option logic: values keyed by TRAIN_OPTION_SPECS' dotted keys, presets, validation, the config patch. */
import { PRESETS, TRAIN_OPTION_SPECS, unusedOptions } from '../../../main/engine/config.js';
import type { Method, OptionSpec, TrainConfig } from '../api/types.js';
import { compactNumber } from './format.js';

export { unusedOptions };

export type OptionValue = number | string | boolean;
export type OptionValues = Record<string, OptionValue>;
export type PresetName = keyof typeof PRESETS;

export const OPTION_SPECS: readonly OptionSpec[] = TRAIN_OPTION_SPECS;

export interface OptionGroup {
  title: string;
  keys: string[];
}

/** Step-3 sections; method and backbones are chosen in step 2. */
export const OPTION_GROUPS: readonly OptionGroup[] = [
  { title: 'Training', keys: ['epochs', 'teacherEpochs', 'batchSize', 'learningRate', 'lrSchedule', 'weightDecay', 'decoupledWeightDecay', 'seed', 'earlyStoppingPatience', 'balancedSampling'] },
  { title: 'Distillation', keys: OPTION_SPECS.filter((s) => s.key.startsWith('distill.')).map((s) => s.key) },
  { title: 'Augmentation', keys: OPTION_SPECS.filter((s) => s.key.startsWith('augment.')).map((s) => s.key) },
  { title: 'Preprocessing', keys: OPTION_SPECS.filter((s) => s.key.startsWith('preprocess.')).map((s) => s.key) },
];

export const METHOD_INFO: Record<Method, { label: string; summary: string }> = {
  aurakd: { label: 'AURA-KD', summary: 'Offline teacher + online teacher (previous batch), weighted per chip by their uncertainty.' },
  kd: { label: 'KD', summary: 'Classic distillation from a frozen offline teacher (Hinton).' },
  selfkd: { label: 'Self-KD', summary: 'Distillation from the student’s own previous-batch predictions only.' },
  ce: { label: 'CE', summary: 'Plain cross-entropy training, no teacher. The baseline.' },
};

export const PRESET_INFO: Record<PresetName, { label: string; summary: string }> = {
  paper: { label: 'Paper', summary: 'ResNet50 → ResNet18, τ 4, Adam 1e-4, weight decay 1e-2, 10 + 15 epochs.' },
  fastCpu: { label: 'Fast CPU', summary: 'ResNet18 → small SAR net (~0.3 M parameters), Adam 1e-3, 10 + 15 epochs.' },
  sarCpu: { label: 'SAR on CPU', summary: 'Small SAR net → small SAR net, Adam 2e-3 with cosine decay, batch 16, ±4 px shifts, τ 1, 10 + 10 epochs (chosen on MSTAR validation chips).' },
};

export function specFor(key: string): OptionSpec | undefined {
  return OPTION_SPECS.find((s) => s.key === key);
}

export function defaultValues(): OptionValues {
  const values: OptionValues = {};
  for (const spec of OPTION_SPECS) values[spec.key] = spec.default;
  return values;
}

/** Nested object → dotted keys: { distill: { tau: 4 } } → { 'distill.tau': 4 }. */
export function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

/** Coerce a value into the spec's type (enum values are strings, e.g. channels '1'). */
function coerce(spec: OptionSpec, value: unknown): OptionValue {
  if (spec.kind === 'enum') return String(value);
  if (spec.kind === 'boolean') return Boolean(value);
  return Number(value);
}

/** Values with a preset (or any partial config) laid over them; keys without a spec are ignored. */
export function applyConfig(values: OptionValues, config: Partial<TrainConfig> | Record<string, unknown>): OptionValues {
  const next = { ...values };
  for (const [key, value] of Object.entries(flatten(config as Record<string, unknown>))) {
    const spec = specFor(key);
    if (spec && value !== undefined) next[key] = coerce(spec, value);
  }
  return next;
}

export function applyPreset(values: OptionValues, preset: PresetName): OptionValues {
  return applyConfig(values, PRESETS[preset]);
}

/** One readable line when `value` is not valid for `spec`, else null. */
export function validateOption(spec: OptionSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
      if (spec.integer && !Number.isInteger(value)) return 'Enter a whole number.';
      if (value < spec.min || value > spec.max) return `Must be between ${compactNumber(spec.min)} and ${compactNumber(spec.max)}.`;
      return null;
    }
    case 'enum':
      return spec.values.includes(String(value)) ? null : `Choose one of: ${spec.values.join(', ')}.`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'Must be on or off.';
  }
}

export function validateValues(values: OptionValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const spec of OPTION_SPECS) {
    const problem = validateOption(spec, values[spec.key]);
    if (problem) errors[spec.key] = problem;
  }
  return errors;
}

/** Value for the API: enum 'channels' goes back to the number TrainConfig holds. */
function apiValue(key: string, value: OptionValue): unknown {
  if (key === 'preprocess.channels') return Number(value);
  return value;
}

/** Spec defaults with a dataset's own preprocessing laid over them: what the API starts a run from. */
export function baselineFor(preprocess: Record<string, unknown> | null): OptionValues {
  return preprocess ? applyConfig(defaultValues(), { preprocess }) : defaultValues();
}

/**
 * The request's config patch: a nested partial TrainConfig holding every option that differs from the
 * baseline (spec defaults + the dataset's preprocessing), plus the method and backbones (always
 * explicit); options the method ignores are left out.
 */
export function buildConfigPatch(values: OptionValues, baseline: OptionValues = defaultValues()): Record<string, unknown> {
  const method = String(values.method) as Method;
  const unused = unusedOptions(method);
  const patch: Record<string, unknown> = {};
  for (const spec of OPTION_SPECS) {
    const value = values[spec.key];
    if (value === undefined || unused.has(spec.key)) continue;
    const always = spec.key === 'method' || spec.key === 'student' || spec.key === 'teacher';
    if (!always && value === baseline[spec.key]) continue;
    const path = spec.key.split('.');
    let node = patch;
    for (const part of path.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = apiValue(spec.key, value);
  }
  return patch;
}

/** Options that differ from the baseline, for the review step. */
export function changedOptions(values: OptionValues, baseline: OptionValues = defaultValues()): { key: string; from: OptionValue; to: OptionValue }[] {
  const unused = unusedOptions(String(values.method) as Method);
  return OPTION_SPECS.filter((s) => !unused.has(s.key) && values[s.key] !== baseline[s.key]).map((s) => ({ key: s.key, from: baseline[s.key], to: values[s.key] }));
}

export const TAU_SWEEP_VALUES: readonly number[] = [1, 2, 4, 6, 8];
export const METHOD_SWEEP_VALUES: readonly Method[] = ['ce', 'kd', 'selfkd', 'aurakd'];
