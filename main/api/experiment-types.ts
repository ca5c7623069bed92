/** Response types of the experiments.* operations (part of the contract). */
import type { TrainConfig } from '../engine/config.js';
import type { MethodAnalysis } from '../experiments/analysis.js';
import type { PairedComparison } from '../experiments/paired.js';
import type { ExperimentTables, SeedResult } from '../experiments/summary.js';

export type { ExperimentTables, MeanStd, ResultRow, SeedResult } from '../experiments/summary.js';
export type { Confusion, MethodAnalysis, WOffPoint } from '../experiments/analysis.js';
export type { PairedComparison } from '../experiments/paired.js';
export type { PooledExperiments, PooledPair } from '../experiments/pooled.js';

export interface ExperimentSummaryDto {
  id: number;
  name: string;
  datasetId: number;
  datasetName: string;
  methods: string[];
  seeds: number[];
  taus: number[];
  createdAt: string;
  /** Runs of the experiment (a run with two roles counts once). */
  runs: number;
  /** Runs finished (done). */
  done: number;
  /** Runs failed, cancelled or interrupted. */
  failed: number;
}

/** One run in one role of an experiment. */
export interface ExperimentResultDto extends SeedResult {
  name: string;
  /**
   * The run is queued or training in another live process on the same history (an app or a CLI):
   * this process has no job for it and must not resume it.
   */
  otherProcess: boolean;
}

export interface ExperimentDetailDto extends ExperimentSummaryDto {
  config: TrainConfig;
  tauSeeds: number[];
  /** One offline teacher served every seed (else one teacher per seed). */
  sharedTeacher: boolean;
  /** The saved model that was every seed's frozen offline teacher (null: the experiment trained its teachers). */
  teacherModelId: number | null;
  /** One entry per (run, role). */
  results: ExperimentResultDto[];
  tables: ExperimentTables;
  /** Per method (finished runs of the comparison): pooled confusions, class recall, w_off by epoch. */
  analysis: { classes: string[]; methods: MethodAnalysis[] };
  /**
   * Method pairs on the same test chips (AURA-KD vs KD, KD vs CE, Self-KD vs CE, AURA-KD vs CE; those
   * whose two methods are in the experiment and share a finished seed): chips only one got right, McNemar p.
   */
  paired: PairedComparison[];
}
