/**
 * Training configuration: every option with its default, valid range and meaning, in one place.
 * The CLI, the API validation and the wizard all read `TRAIN_OPTION_SPECS`.
 */
import type { AugmentConfig, PreprocessConfig } from '../data/types.js';
import { LR_SCHEDULES, type LrSchedule } from './schedule.js';

export type Method = 'ce' | 'kd' | 'selfkd' | 'aurakd';
export const METHODS: readonly Method[] = ['ce', 'kd', 'selfkd', 'aurakd'];
/** How methods are named in tables and run names. */
export const METHOD_LABELS: Record<Method, string> = { ce: 'CE', kd: 'KD', selfkd: 'Self-KD', aurakd: 'AURA-KD' };

export type Backbone = 'sarnet' | 'resnet18' | 'vgg11' | 'resnet50';
export const BACKBONES: readonly Backbone[] = ['sarnet', 'resnet18', 'vgg11', 'resnet50'];

export type Weighting =
  | 'sigmoidDiff'
  | 'softmaxNegU'
  | 'ebkdRatio'
  | 'camkd'
  | 'fixed'
  | 'offlineOnly'
  | 'onlineOnly';
export const WEIGHTINGS: readonly Weighting[] = [
  'sigmoidDiff',
  'softmaxNegU',
  'ebkdRatio',
  'camkd',
  'fixed',
  'offlineOnly',
  'onlineOnly',
];

export type LossNorm = 'zscore' | 'relative' | 'raw' | 'none';
export const LOSS_NORMS: readonly LossNorm[] = ['zscore', 'relative', 'raw', 'none'];

export type Granularity = 'sample' | 'batch';
export const GRANULARITIES: readonly Granularity[] = ['sample', 'batch'];

export type OnlineTeacher = 'lastBatch' | 'logitBank' | 'naivePrevBatch';
export const ONLINE_TEACHERS: readonly OnlineTeacher[] = ['lastBatch', 'logitBank', 'naivePrevBatch'];

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/** The AURA-KD uncertainty module and loss (see AURA-KD.md). */
export interface DistillConfig {
  weighting: Weighting;
  lossNorm: LossNorm;
  granularity: Granularity;
  onlineTeacher: OnlineTeacher;
  /** Weight of the distillation term; 0 = plain CE. */
  alpha: number;
  /** Entropy-difference sharpness. */
  beta: number;
  /** Loss-difference sharpness. */
  gamma: number;
  /** Softmax temperature τ. */
  tau: number;
  /**
   * Temperature of the online teacher's term l_on (this product's extension; 0 = τ, as AURA-KD.md):
   * each teacher can be softened as much as its own baseline likes (KD prefers τ 1 on MSTAR, Self-KD τ 4).
   */
  tauOnline: number;
  /** Epochs of linear ramp of α from 0 (0 = no ramp). */
  kdWarmupEpochs: number;
  /**
   * Log-odds b added to every chip's w_off (this product's extension, 0 = AURA-KD.md): for sigmoidDiff
   * w_off = sigmoid(b − (β·ΔH + γ·ΔL)); b > 0 trusts the offline teacher more, b < 0 the online one.
   */
  offlinePrior: number;
  /** ε in the z-score denominators. */
  epsilon: number;
}

export interface TrainConfig {
  method: Method;
  student: Backbone;
  /** Offline teacher backbone (ignored for CE and Self-KD). */
  teacher: Backbone;
  /** Student epochs. */
  epochs: number;
  /** Offline-teacher CE epochs before it is frozen (ignored when a saved teacher is given). */
  teacherEpochs: number;
  batchSize: number;
  learningRate: number;
  /** constant, or cosine decay over each phase's epochs. */
  lrSchedule: LrSchedule;
  weightDecay: number;
  /** false: coupled L2 added to the loss (paper); true: decoupled (AdamW). */
  decoupledWeightDecay: boolean;
  seed: number;
  /** Stop when validation accuracy has not improved for this many epochs (0 = never). */
  earlyStoppingPatience: number;
  /** Class-balanced sampling of training batches (for imbalanced data such as OpenSARShip). */
  balancedSampling: boolean;
  distill: DistillConfig;
  augment: AugmentConfig;
  preprocess: PreprocessConfig;
}

export type OptionSpec =
  | { key: string; kind: 'number'; default: number; min: number; max: number; integer?: boolean; help: string }
  | { key: string; kind: 'enum'; default: string; values: readonly string[]; help: string }
  | { key: string; kind: 'boolean'; default: boolean; help: string };

export const DEFAULT_DISTILL: DistillConfig = {
  weighting: 'sigmoidDiff',
  lossNorm: 'zscore',
  granularity: 'sample',
  onlineTeacher: 'lastBatch',
  alpha: 1,
  beta: 4,
  gamma: 2,
  tau: 4,
  tauOnline: 0,
  kdWarmupEpochs: 0,
  offlinePrior: 0,
  epsilon: 1e-3,
};

export const DEFAULT_PREPROCESS: PreprocessConfig = {
  size: 64,
  fit: 'crop',
  intensity: 'linear',
  normalise: 'chip',
  channels: 1,
};

export const DEFAULT_AUGMENT: AugmentConfig = { shift: 0, flip: false, speckleLooks: 0 };

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  method: 'aurakd',
  student: 'sarnet',
  teacher: 'resnet18',
  epochs: 15,
  teacherEpochs: 10,
  batchSize: 32,
  learningRate: 1e-3,
  lrSchedule: 'constant',
  weightDecay: 1e-4,
  decoupledWeightDecay: false,
  seed: 1,
  earlyStoppingPatience: 0,
  balancedSampling: false,
  distill: DEFAULT_DISTILL,
  augment: DEFAULT_AUGMENT,
  preprocess: DEFAULT_PREPROCESS,
};

/**
 * A stored config with every option present: keys added after the run was recorded take their
 * defaults (which are the behaviour the run was trained with, e.g. distill.offlinePrior 0).
 */
export function completeTrainConfig(stored: TrainConfig): TrainConfig {
  return {
    ...DEFAULT_TRAIN_CONFIG,
    ...stored,
    distill: { ...DEFAULT_DISTILL, ...stored.distill },
    augment: { ...DEFAULT_AUGMENT, ...stored.augment },
    preprocess: { ...DEFAULT_PREPROCESS, ...stored.preprocess },
  };
}

/** AURA-KD options other than τ that differ from AURA-KD.md's defaults, e.g. "weighting camkd, offlinePrior 2" ('' when none). */
export function changedDistillOptions(d: DistillConfig): string {
  const keys = (Object.keys(DEFAULT_DISTILL) as (keyof DistillConfig)[]).filter((k) => k !== 'tau' && d[k] !== undefined && d[k] !== DEFAULT_DISTILL[k]);
  return keys.map((k) => `${k} ${d[k]}`).join(', ');
}

/** The temperature of the online teacher's term: `tauOnline`, or τ when it is 0. */
export function onlineTau(d: DistillConfig): number {
  return d.tauOnline > 0 ? d.tauOnline : d.tau;
}

/** How each method maps onto the one distillation code path (AURA-KD.md, "baselines"). */
export function methodDistill(method: Method, base: DistillConfig): DistillConfig {
  switch (method) {
    case 'ce':
      return { ...base, alpha: 0 };
    case 'kd':
      return { ...base, weighting: 'offlineOnly' };
    case 'selfkd':
      return { ...base, weighting: 'onlineOnly', onlineTeacher: 'lastBatch' };
    case 'aurakd':
      return base;
  }
}

/**
 * Class-balanced batches by default when the training split is imbalanced (largest class at least
 * twice the smallest, e.g. OpenSARShip's 74 tankers vs 12 container ships); plain shuffling otherwise.
 */
export function suggestBalancedSampling(trainCounts: readonly number[]): boolean {
  const present = trainCounts.filter((n) => n > 0);
  return present.length >= 2 && Math.max(...present) >= 2 * Math.min(...present);
}

/** Whether a method needs the frozen offline teacher / the online teacher. */
export function methodNeeds(method: Method): { offline: boolean; online: boolean } {
  return {
    offline: method === 'kd' || method === 'aurakd',
    online: method === 'selfkd' || method === 'aurakd',
  };
}

/**
 * Options a method ignores, as TRAIN_OPTION_SPECS' dotted keys: the wizard hides them, and a run
 * comparison shows them as not used rather than as a difference.
 */
export function unusedOptions(method: Method): Set<string> {
  const unused = new Set<string>();
  if (!methodNeeds(method).offline) ['teacher', 'teacherEpochs'].forEach((k) => unused.add(k));
  if (method === 'ce') {
    for (const spec of TRAIN_OPTION_SPECS) if (spec.key.startsWith('distill.')) unused.add(spec.key);
  } else if (method !== 'aurakd') {
    if (method === 'kd') unused.add('distill.tauOnline');
    // KD and Self-KD fix the weighting to one teacher (and Self-KD its online teacher): the uncertainty module's knobs do nothing.
    ['distill.weighting', 'distill.lossNorm', 'distill.granularity', 'distill.beta', 'distill.gamma', 'distill.epsilon', 'distill.offlinePrior', 'distill.onlineTeacher'].forEach((k) =>
      unused.add(k),
    );
  }
  return unused;
}

/** Named presets the wizard and CLI offer. */
export const PRESETS: Record<'paper' | 'fastCpu' | 'sarCpu', Partial<TrainConfig>> = {
  paper: {
    student: 'resnet18',
    teacher: 'resnet50',
    epochs: 15,
    teacherEpochs: 10,
    learningRate: 1e-4,
    weightDecay: 1e-2,
    decoupledWeightDecay: false,
    distill: { ...DEFAULT_DISTILL, tau: 4 },
  },
  fastCpu: {
    student: 'sarnet',
    teacher: 'resnet18',
    epochs: 15,
    teacherEpochs: 10,
    learningRate: 1e-3,
    weightDecay: 1e-4,
  },
  /**
   * Real SAR chips on a 2-core CPU (chosen on MSTAR validation chips): the small SAR net as student
   * and as its own offline teacher (so the CE baseline of a seed is that seed's teacher), 10 epochs,
   * Adam 2e-3 with cosine decay, ±4 px random shifts, τ 1 (AURA-KD validation accuracy over three seeds:
   * 98.71 % at τ 1 against 97.66 % at τ 4).
   */
  sarCpu: {
    student: 'sarnet',
    teacher: 'sarnet',
    epochs: 10,
    teacherEpochs: 10,
    batchSize: 16,
    learningRate: 2e-3,
    lrSchedule: 'cosine',
    weightDecay: 1e-4,
    augment: { shift: 4, flip: false, speckleLooks: 0 },
    distill: { ...DEFAULT_DISTILL, tau: 1 },
  },
};

/** Every option the user can set, flat, with default, range and meaning. Keys are dotted paths into TrainConfig. */
export const TRAIN_OPTION_SPECS: readonly OptionSpec[] = [
  { key: 'method', kind: 'enum', default: 'aurakd', values: METHODS, help: 'ce: plain cross-entropy; kd: offline teacher only (Hinton); selfkd: online teacher only (last batch); aurakd: both, weighted per chip by uncertainty.' },
  { key: 'student', kind: 'enum', default: 'sarnet', values: BACKBONES, help: 'Student network. sarnet (~0.3 M parameters) is the fast CPU choice; resnet18/vgg11 are the paper students.' },
  { key: 'teacher', kind: 'enum', default: 'resnet18', values: BACKBONES, help: 'Offline teacher network, trained first with CE and then frozen (resnet50 in the paper).' },
  { key: 'epochs', kind: 'number', default: 15, min: 1, max: 500, integer: true, help: 'Student training epochs.' },
  { key: 'teacherEpochs', kind: 'number', default: 10, min: 1, max: 500, integer: true, help: 'Offline-teacher CE epochs before it is frozen.' },
  { key: 'batchSize', kind: 'number', default: 32, min: 2, max: 512, integer: true, help: 'Chips per optimizer step (lastBatch doubles what the student sees per step).' },
  { key: 'learningRate', kind: 'number', default: 1e-3, min: 1e-6, max: 1, help: 'Adam learning rate (paper: 1e-4).' },
  { key: 'lrSchedule', kind: 'enum', default: 'constant', values: LR_SCHEDULES, help: 'constant, or cosine decay of the learning rate over each phase (teacher, student).' },
  { key: 'weightDecay', kind: 'number', default: 1e-4, min: 0, max: 0.1, help: 'L2 weight decay (paper: 1e-2).' },
  { key: 'decoupledWeightDecay', kind: 'boolean', default: false, help: 'Decoupled weight decay (AdamW) instead of L2 added to the loss.' },
  { key: 'seed', kind: 'number', default: 1, min: 0, max: 2 ** 31 - 1, integer: true, help: 'Seed for initialisation, shuffling and augmentation.' },
  { key: 'earlyStoppingPatience', kind: 'number', default: 0, min: 0, max: 100, integer: true, help: 'Stop after this many epochs without a better validation accuracy (0 = off).' },
  { key: 'balancedSampling', kind: 'boolean', default: false, help: 'Draw training batches class-balanced (for imbalanced data).' },
  { key: 'distill.weighting', kind: 'enum', default: 'sigmoidDiff', values: WEIGHTINGS, help: 'How w_off/w_on are set per chip.' },
  { key: 'distill.lossNorm', kind: 'enum', default: 'zscore', values: LOSS_NORMS, help: 'How l_off and l_on are made comparable before weighting.' },
  { key: 'distill.granularity', kind: 'enum', default: 'sample', values: GRANULARITIES, help: 'sample: a weight per chip; batch: one weight per step.' },
  { key: 'distill.onlineTeacher', kind: 'enum', default: 'lastBatch', values: ONLINE_TEACHERS, help: 'lastBatch: previous step replayed (DLB); logitBank: logits from the previous epoch; naivePrevBatch: literal paper reading, other chips.' },
  { key: 'distill.alpha', kind: 'number', default: 1, min: 0, max: 10, help: 'Weight of the distillation term.' },
  { key: 'distill.beta', kind: 'number', default: 4, min: 0, max: 50, help: 'Sharpness of the entropy difference.' },
  { key: 'distill.gamma', kind: 'number', default: 2, min: 0, max: 50, help: 'Sharpness of the loss difference.' },
  { key: 'distill.tau', kind: 'number', default: 4, min: 0.5, max: 20, help: 'Distillation temperature τ (paper sweeps 1, 2, 4, 6, 8).' },
  { key: 'distill.tauOnline', kind: 'number', default: 0, min: 0, max: 20, help: 'Temperature of the online teacher\'s term l_on (0 = the same τ as the offline teacher, as AURA-KD.md). Used by AURA-KD and Self-KD.' },
  { key: 'distill.kdWarmupEpochs', kind: 'number', default: 0, min: 0, max: 100, integer: true, help: 'Linear ramp of α over this many epochs.' },
  { key: 'distill.offlinePrior', kind: 'number', default: 0, min: -10, max: 10, help: 'Log-odds added to every chip\'s w_off (0 = AURA-KD.md; 2 moves a 0.5/0.5 chip to 0.88/0.12 toward the offline teacher). No effect on KD, Self-KD, CE.' },
  { key: 'distill.epsilon', kind: 'number', default: 1e-3, min: 1e-9, max: 1, help: 'ε in the z-score denominators.' },
  { key: 'augment.shift', kind: 'number', default: 0, min: 0, max: 32, integer: true, help: 'Random shift up to ± this many pixels.' },
  { key: 'augment.flip', kind: 'boolean', default: false, help: 'Random horizontal flip.' },
  { key: 'augment.speckleLooks', kind: 'number', default: 0, min: 0, max: 64, integer: true, help: 'Multiplicative gamma speckle with this many looks (0 = off).' },
  { key: 'preprocess.size', kind: 'number', default: 64, min: 16, max: 256, integer: true, help: 'Chip side after centre crop/pad (MSTAR: 64 or 88).' },
  { key: 'preprocess.intensity', kind: 'enum', default: 'linear', values: ['linear', 'log', 'db'], help: 'Intensity transform before normalisation (dB for calibrated sigma0).' },
  { key: 'preprocess.normalise', kind: 'enum', default: 'chip', values: ['chip', 'dataset', 'none'], help: 'Per-chip z-score, dataset mean/std, or none.' },
  { key: 'preprocess.channels', kind: 'enum', default: '1', values: ['1', '2'], help: '1: magnitude/VV; 2: VH+VV (1-band chips duplicated).' },
];
