/** datasets.* operations. */
import { rm } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { ApiRequest, ApiResponse, ChipItem } from '../contract.js';
import { ApiError } from '../contract.js';
import type { ServiceContext } from '../context.js';
import { toDatasetSummary } from '../mappers.js';
import { notFound, storeCall } from './errors.js';

export function datasetHandlers(ctx: ServiceContext) {
  const { history, jobs } = ctx;
  return {
    'datasets.import': (req: ApiRequest<'datasets.import'>): ApiResponse<'datasets.import'> => {
      const root = resolve(req.root);
      if (!existsSync(root) || !statSync(root).isDirectory()) throw new ApiError('invalid', `datasets.import: root: not a folder: ${root}`);
      const testRoot = req.testRoot === undefined ? undefined : resolve(req.testRoot);
      if (testRoot !== undefined && (!existsSync(testRoot) || !statSync(testRoot).isDirectory())) throw new ApiError('invalid', `datasets.import: testRoot: not a folder: ${testRoot}`);
      const name = req.name ?? basename(root);
      return jobs.submit({
        kind: 'import',
        title: `Import ${name}`,
        task: { type: 'import', datasetName: name, root, valFraction: req.valFraction, testFraction: req.testFraction, seed: req.seed, groupBy: req.groupBy, preprocess: req.preprocess, demo: null, testRoot },
      });
    },
    'datasets.importDemo': (req: ApiRequest<'datasets.importDemo'>): ApiResponse<'datasets.importDemo'> =>
      jobs.submit({
        kind: 'import',
        title: 'Import the demo dataset',
        task: { type: 'import', datasetName: `Demo (seed ${req.seed})`, root: '', valFraction: 0.15, testFraction: 0.15, seed: 1, groupBy: 'none', preprocess: undefined, demo: { seed: req.seed, perClass: req.perClass } },
      }),
    'datasets.list': (): ApiResponse<'datasets.list'> => history.datasets.list().map(toDatasetSummary),
    'datasets.get': (req: ApiRequest<'datasets.get'>): ApiResponse<'datasets.get'> => {
      const d = history.datasets.get(req.datasetId) ?? notFound(`Dataset ${req.datasetId}`);
      const stats = history.datasets.stats(d.id);
      return {
        ...toDatasetSummary(d),
        classCounts: stats.classCounts,
        sizeHistogram: stats.sizes.map((s) => ({ size: `${s.width}×${s.height}`, count: s.count })),
        runCount: history.runs.list({ datasetId: d.id, limit: 1 }).total,
      };
    },
    'datasets.chips': (req: ApiRequest<'datasets.chips'>): ApiResponse<'datasets.chips'> => {
      const d = history.datasets.get(req.datasetId) ?? notFound(`Dataset ${req.datasetId}`);
      let label: number | undefined;
      if (req.className !== undefined) {
        label = d.classes.indexOf(req.className);
        if (label < 0) throw new ApiError('invalid', `datasets.chips: className: no class "${req.className}" in ${d.name}`);
      }
      const page = history.datasets.samples(d.id, { label, split: req.split, limit: req.limit, offset: req.offset });
      const items: ChipItem[] = page.items.map((s) => ({
        key: s.key,
        className: s.className,
        label: s.label,
        split: s.split,
        width: s.width,
        height: s.height,
        channels: s.channels,
        url: ctx.chipUrl({ kind: 'sample', datasetId: d.id, key: s.key }),
      }));
      return { total: page.total, offset: page.offset, items };
    },
    'datasets.delete': async (req: ApiRequest<'datasets.delete'>): Promise<ApiResponse<'datasets.delete'>> => {
      history.datasets.get(req.datasetId) ?? notFound(`Dataset ${req.datasetId}`);
      const runs = history.runs.list({ datasetId: req.datasetId, limit: 1000 });
      if (runs.items.some((r) => r.status === 'running' || r.status === 'queued')) {
        throw new ApiError('conflict', 'datasets.delete: runs on this dataset are queued or running; cancel them first');
      }
      const { files, classificationsDeleted } = storeCall(() => history.datasets.delete(req.datasetId, { cascade: req.cascade }));
      await Promise.all(files.map((f) => rm(f, { recursive: true, force: true })));
      ctx.emit('dataset', { datasetId: req.datasetId, deleted: true });
      return { deleted: true, runsDeleted: req.cascade ? runs.total : 0, classificationsDeleted };
    },
  };
}
