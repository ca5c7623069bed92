/** eval.* operations: the latest evaluation, confusion-cell chips, one chip, rankings. */
import type { EvaluationRecord } from '../../store/index.js';
import { ApiError, type ApiRequest, type ApiResponse } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { toChipRecord, toEvaluationDto } from '../mappers.js';
import { notFound } from './errors.js';

export function evaluationHandlers(ctx: ServiceContext) {
  const { history } = ctx;
  const getEvaluation = (id: number): { evaluation: EvaluationRecord; datasetId: number } => {
    const evaluation = history.evaluations.get(id) ?? notFound(`Evaluation ${id}`);
    const run = history.runs.get(evaluation.runId) ?? notFound(`Run ${evaluation.runId}`);
    return { evaluation, datasetId: run.datasetId };
  };
  /** List rows carry no sample record; join its size (an indexed lookup per row of one page). */
  const withSample = <T extends { key: string }>(datasetId: number, p: T) => ({ ...p, sample: history.datasets.sample(datasetId, p.key) ?? null });
  const checkLabel = (label: number, classes: string[], field: string) => {
    if (label >= classes.length) throw new ApiError('invalid', `eval.cellChips: ${field}: must be below ${classes.length}`);
  };

  return {
    'eval.get': (req: ApiRequest<'eval.get'>): ApiResponse<'eval.get'> => {
      history.runs.get(req.runId) ?? notFound(`Run ${req.runId}`);
      const e = history.evaluations.latest(req.runId, 'test') ?? history.evaluations.latest(req.runId, 'val');
      return e ? toEvaluationDto(e) : null;
    },
    'eval.cellChips': (req: ApiRequest<'eval.cellChips'>): ApiResponse<'eval.cellChips'> => {
      const { evaluation, datasetId } = getEvaluation(req.evaluationId);
      checkLabel(req.trueLabel, evaluation.classes, 'trueLabel');
      checkLabel(req.predictedLabel, evaluation.classes, 'predictedLabel');
      const page = history.predictions.cell(evaluation.id, req.trueLabel, req.predictedLabel, { limit: req.limit, offset: req.offset });
      return { total: page.total, offset: page.offset, items: page.items.map((p) => toChipRecord(withSample(datasetId, p), evaluation.classes, datasetId, ctx.chipUrl)) };
    },
    'eval.chip': (req: ApiRequest<'eval.chip'>): ApiResponse<'eval.chip'> => {
      const { evaluation, datasetId } = getEvaluation(req.evaluationId);
      const chip = history.predictions.inspect(evaluation.id, req.key) ?? notFound(`Chip ${req.key} in evaluation ${evaluation.id}`);
      return toChipRecord(chip, evaluation.classes, datasetId, ctx.chipUrl);
    },
    'eval.rank': (req: ApiRequest<'eval.rank'>): ApiResponse<'eval.rank'> => {
      const { evaluation, datasetId } = getEvaluation(req.evaluationId);
      const page = history.predictions.ranked(evaluation.id, req.by, { limit: req.limit, offset: req.offset });
      return { total: page.total, offset: page.offset, items: page.items.map((p) => toChipRecord(withSample(datasetId, p), evaluation.classes, datasetId, ctx.chipUrl)) };
    },
  };
}
