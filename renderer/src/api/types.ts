/** The contract's types as the renderer uses them (type-only: no zod in the bundle). */
export type {
  ApiClient,
  ApiEvents,
  ApiInput,
  ApiResponse,
  ChipItem,
  ChipRecord,
  ChipRef,
  ClassificationDto,
  ClassificationRow,
  CompareResult,
  DatasetDetail,
  DatasetSummary,
  EvaluationDto,
  EventName,
  JobSnapshot,
  JobStatus,
  ModelSummary,
  OperationName,
  Page,
  RunDetail,
  RunStatus,
  RunSummary,
  SystemInfo,
} from '../../../main/api/contract.js';
export type { EpochMetrics, PerClassMetrics, ReliabilityBin, TrainProgress, BatchProgress, EpochProgress } from '../../../main/engine/types.js';
export type { Method, Backbone, TrainConfig, OptionSpec } from '../../../main/engine/config.js';
export type { Split, SkippedFile } from '../../../main/data/types.js';
