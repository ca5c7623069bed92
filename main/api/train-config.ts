/**
 * Turns a partial, untrusted config (dotted keys or nested objects) into a complete TrainConfig,
 * checking every value against TRAIN_OPTION_SPECS. Used by runs.start / runs.sweep and the CLI.
 */
import {
  DEFAULT_TRAIN_CONFIG,
  PRESETS,
  TRAIN_OPTION_SPECS,
  type OptionSpec,
  type TrainConfig,
} from '../engine/config.js';
import { ApiError } from './contract.js';

const SPEC_BY_KEY = new Map(TRAIN_OPTION_SPECS.map((s) => [s.key, s]));

/** Flatten {distill: {tau: 2}} into {'distill.tau': 2}; dotted keys pass through. */
export function flattenPatch(patch: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !SPEC_BY_KEY.has(key)) {
      Object.assign(out, flattenPatch(v as Record<string, unknown>, key));
    } else {
      out[key] = v;
    }
  }
  return out;
}

export function coerceOption(spec: OptionSpec, value: unknown): unknown {
  const fail = (why: string): never => {
    throw new ApiError('invalid', `config.${spec.key}: ${why}`);
  };
  switch (spec.kind) {
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return fail(`expected a number, got ${JSON.stringify(value)}`);
      if (spec.integer && !Number.isInteger(n)) return fail(`expected an integer, got ${n}`);
      if (n < spec.min || n > spec.max) return fail(`must be between ${spec.min} and ${spec.max}, got ${n}`);
      return n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail(`expected true or false, got ${JSON.stringify(value)}`);
    }
    case 'enum': {
      const s = typeof value === 'number' ? String(value) : value;
      if (typeof s !== 'string' || !spec.values.includes(s)) return fail(`must be one of ${spec.values.join(', ')}, got ${JSON.stringify(value)}`);
      // preprocess.channels is numeric in TrainConfig though offered as a choice.
      return spec.key === 'preprocess.channels' ? Number(s) : s;
    }
  }
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let obj = target;
  for (const p of parts.slice(0, -1)) obj = obj[p] as Record<string, unknown>;
  obj[parts[parts.length - 1]] = value;
}

export type PresetName = keyof typeof PRESETS;

/** Complete config = defaults ← preset ← patch. Unknown keys are rejected. */
export function resolveTrainConfig(patch: Record<string, unknown> = {}, base: TrainConfig = DEFAULT_TRAIN_CONFIG): TrainConfig {
  const config = structuredClone(base) as unknown as Record<string, unknown>;
  const flat = flattenPatch(patch);
  const preset = flat.preset;
  delete flat.preset;
  if (preset !== undefined) {
    if (typeof preset !== 'string' || !(preset in PRESETS)) {
      throw new ApiError('invalid', `config.preset: must be one of ${Object.keys(PRESETS).join(', ')}, got ${JSON.stringify(preset)}`);
    }
    for (const [k, v] of Object.entries(flattenPatch(PRESETS[preset as PresetName] as Record<string, unknown>))) setPath(config, k, v);
  }
  for (const [key, value] of Object.entries(flat)) {
    const spec = SPEC_BY_KEY.get(key);
    if (!spec) throw new ApiError('invalid', `config: unknown option "${key}"`);
    setPath(config, key, coerceOption(spec, value));
  }
  const result = config as unknown as TrainConfig;
  if (result.preprocess.fit !== 'crop') throw new ApiError('invalid', 'config.preprocess.fit: only centre crop/pad is supported');
  return result;
}
