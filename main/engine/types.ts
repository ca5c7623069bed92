/** Shared result/progress types of the engine. */
import type { BackendName, TrainConfig } from './config.js';

export type TrainPhase = 'teacher' | 'student';

/** Loss parts of a step or the mean over an epoch. */
export interface LossParts {
  total: number;
  ce: number;
  /** Mean per-chip offline KD term l_off over O (0 when not used). */
  off: number;
  /** Mean per-chip online KD term l_on over O (0 when not used). */
  on: number;
}

export interface WeightStats {
  /** Mean and population std of w_off over O (NaN-free: 0 when no chip had both teachers). */
  mean: number;
  std: number;
}

export interface BatchProgress {
  kind: 'batch';
  phase: TrainPhase;
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based
  batches: number;
  loss: LossParts;
  wOff: WeightStats;
  /** Training accuracy of this step's new chips. */
  accuracy: number;
  chipsPerSec: number;
  /** Estimated seconds left in the whole run (teacher + student). */
  etaSec: number;
}

export interface EpochMetrics {
  phase: TrainPhase;
  epoch: number;
  loss: LossParts;
  wOff: WeightStats;
  trainAccuracy: number;
  valAccuracy: number | null;
  valLoss: number | null;
  chipsPerSec: number;
  seconds: number;
  learningRate: number;
}

export interface EpochProgress extends EpochMetrics {
  kind: 'epoch';
  epochs: number;
  etaSec: number;
}

export type TrainProgress = BatchProgress | EpochProgress;

export interface PerClassMetrics {
  className: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number;
  accuracy: number;
}

/** One chip's evaluation record, what the inspector shows. */
export interface ChipPrediction {
  key: string;
  label: number;
  predicted: number;
  correct: boolean;
  student: number[];
  /** Offline teacher probabilities (null when the run has none). */
  offline: number[] | null;
  /** Online teacher probabilities: the student as of the previous epoch (null when unavailable). */
  online: number[] | null;
  entropyStudent: number;
  entropyOffline: number | null;
  entropyOnline: number | null;
  /** AURA-KD weights the uncertainty module gives this chip (null without both teachers). */
  wOff: number | null;
  wOn: number | null;
  offlineCorrect: boolean | null;
  onlineCorrect: boolean | null;
}

export interface EvaluationResult {
  classes: string[];
  n: number;
  accuracy: number;
  balancedAccuracy: number;
  macroF1: number;
  perClass: PerClassMetrics[];
  /** confusion[true][predicted] counts. */
  confusion: number[][];
  ece: number;
  reliability: ReliabilityBin[];
  chips: ChipPrediction[];
}

export interface TrainResult {
  config: TrainConfig;
  backend: BackendName;
  status: 'done' | 'cancelled';
  /** Directory of the saved student model (tfjs format + aura-model.json sidecar). */
  studentDir: string;
  teacherDir: string | null;
  /** Directory of the online teacher for evaluation (the student one epoch before the saved one), when the method has one. */
  onlineDir?: string | null;
  epochs: EpochMetrics[];
  bestEpoch: number;
  bestValAccuracy: number | null;
  seconds: number;
}
