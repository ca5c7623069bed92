/** models.* and classify.* operations. */
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readModelMeta } from '../../engine/modelStore.js';
import { sha256Path } from '../../jobs/hash.js';
import { ApiError, type ApiRequest, type ApiResponse, type ClassificationDto, type ClassificationRow } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { classificationCsv, classificationGeoJson } from '../exporters.js';
import { iso, toModelSummary } from '../mappers.js';
import { notFound, storeCall } from './errors.js';

export function modelHandlers(ctx: ServiceContext) {
  const { history, jobs } = ctx;

  const getClassification = (id: number) => history.classifications.get(id) ?? notFound(`Classification ${id}`);
  const toRow = (classificationId: number, r: ReturnType<typeof history.classifications.rows>[number], classes: string[]): ClassificationRow => ({
    key: r.key,
    path: r.path,
    predicted: r.predicted,
    className: classes[r.predicted] ?? String(r.predicted),
    confidence: r.confidence,
    entropy: r.entropy,
    probs: r.probs,
    flagged: r.flagged,
    lat: r.lat,
    lon: r.lon,
    url: ctx.chipUrl({ kind: 'classified', classificationId, key: r.key }),
  });
  const summary = (c: ReturnType<typeof getClassification>): Omit<ClassificationDto, 'rows' | 'skipped'> => ({
    id: c.id,
    modelId: c.modelId,
    folder: c.folder,
    classes: c.classes,
    status: c.status,
    createdAt: iso(c.createdAt)!,
  });

  return {
    'models.list': (): ApiResponse<'models.list'> => history.artifacts.listModels({}).filter((m) => m.kind !== 'online').map(toModelSummary),
    'models.export': async (req: ApiRequest<'models.export'>): Promise<ApiResponse<'models.export'>> => {
      const model = history.artifacts.getModel(req.modelId) ?? notFound(`Model ${req.modelId}`);
      const dest = join(resolve(req.destDir), `aura-model-${model.id}`);
      if (existsSync(dest)) throw new ApiError('conflict', `models.export: ${dest} already exists`);
      await mkdir(resolve(req.destDir), { recursive: true });
      await cp(model.dir, dest, { recursive: true });
      return { dir: dest };
    },
    'models.import': async (req: ApiRequest<'models.import'>): Promise<ApiResponse<'models.import'>> => {
      const source = resolve(req.dir);
      let meta;
      try {
        meta = await readModelMeta(source);
      } catch (err) {
        throw new ApiError('invalid', `models.import: ${(err as Error).message}`);
      }
      // Keep our own copy so the history does not depend on the user's folder staying put.
      const dest = join(ctx.dataDir, 'models', `${Date.now()}-${basename(source)}`);
      await mkdir(join(ctx.dataDir, 'models'), { recursive: true });
      await cp(source, dest, { recursive: true });
      const sha256 = await sha256Path(dest);
      const record = storeCall(() => history.artifacts.addImportedModel({ dir: dest, sha256, meta: meta as unknown as Record<string, unknown> }));
      return toModelSummary({ ...record, runName: null, testAccuracy: null });
    },
    'models.delete': async (req: ApiRequest<'models.delete'>): Promise<ApiResponse<'models.delete'>> => {
      const model = history.artifacts.getModel(req.modelId) ?? notFound(`Model ${req.modelId}`);
      if (model.runId !== null) {
        throw new ApiError('conflict', `models.delete: model ${model.id} is run ${model.runId}'s ${model.kind} model; it is deleted with that run`);
      }
      const removed = storeCall(() => history.artifacts.deleteModel(model.id, { cascade: req.cascade })) ?? notFound(`Model ${req.modelId}`);
      await rm(removed.dir, { recursive: true, force: true });
      return { deleted: true, classificationsDeleted: removed.classificationsDeleted };
    },
    'classify.start': (req: ApiRequest<'classify.start'>): ApiResponse<'classify.start'> => {
      const model = history.artifacts.getModel(req.modelId) ?? notFound(`Model ${req.modelId}`);
      const folder = resolve(req.folder);
      if (!existsSync(folder)) throw new ApiError('invalid', `classify.start: folder: not found: ${folder}`);
      const classes = ((model.meta as { classes?: string[] }).classes ?? []) as string[];
      const c = storeCall(() => history.classifications.create({ modelId: model.id, folder, classes }));
      history.classifications.claim(c.id, process.pid);
      const job = jobs.submit({ kind: 'classify', title: `Classify ${basename(folder)}`, classificationId: c.id, task: { type: 'classify', classificationId: c.id } });
      return { classificationId: c.id, job };
    },
    'classify.get': (req: ApiRequest<'classify.get'>): ApiResponse<'classify.get'> => {
      const c = getClassification(req.classificationId);
      return { ...summary(c), rows: history.classifications.rows(c.id).map((r) => toRow(c.id, r, c.classes)), skipped: c.skipped };
    },
    'classify.list': (): ApiResponse<'classify.list'> => history.classifications.list().map(summary),
    'classify.delete': (req: ApiRequest<'classify.delete'>): ApiResponse<'classify.delete'> => {
      const c = getClassification(req.classificationId);
      if (c.status === 'queued' || c.status === 'running') throw new ApiError('conflict', `classify.delete: classification ${c.id} is ${c.status}; cancel it first`);
      storeCall(() => history.classifications.delete(c.id));
      return { deleted: true };
    },
    'classify.flag': (req: ApiRequest<'classify.flag'>): ApiResponse<'classify.flag'> => {
      const c = getClassification(req.classificationId);
      return toRow(c.id, storeCall(() => history.classifications.setFlag(c.id, req.key, req.flagged)), c.classes);
    },
    'classify.export': (req: ApiRequest<'classify.export'>): ApiResponse<'classify.export'> => {
      const c = getClassification(req.classificationId);
      const rows = history.classifications.rows(c.id).map((r) => toRow(c.id, r, c.classes));
      const stem = `classification-${c.id}-${basename(c.folder)}`;
      if (req.format === 'csv') return { filename: `${stem}.csv`, mimeType: 'text/csv', content: classificationCsv(c.classes, rows) };
      if (!rows.some((r) => r.lat !== null)) throw new ApiError('invalid', 'classify.export: these chips carry no coordinates; GeoJSON needs georeferenced chips');
      return { filename: `${stem}.geojson`, mimeType: 'application/geo+json', content: classificationGeoJson(c.classes, rows) };
    },
  };
}
