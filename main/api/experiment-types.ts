/** Response types of the experiments.* operations (part of the contract). */
import type { TrainConfig } from '../engine/config.js';
import type { MethodAnalysis } from '../experiments/analysis.js';
import type { ExperimentTables, SeedResult } from '../experiments/summary.js';

export type { ExperimentTables, MeanStd, ResultRow, SeedResult } from '../experiments/summary.js';
export type { Confusion, MethodAnalysis, WOffPoint } from '../experiments/analysis.js';

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

export interface ExperimentDetailDto extends ExperimentSummaryDto {
  config: TrainConfig;
  tauSeeds: number[];
  /** One offline teacher served every seed (else one teacher per seed). */
  sharedTeacher: boolean;
  /** One entry per (run, role). */
  results: (SeedResult & { name: string })[];
  tables: ExperimentTables;
  /** Per method (finished runs of the comparison): pooled confusions, class recall, w_off by epoch. */
  analysis: { classes: string[]; methods: MethodAnalysis[] };
}
