/** Datasets and their samples. */
import { SPLITS, type SampleRecord, type Split } from '../data/types.js';
import { fromJson, toJson } from './codec.js';
import { classificationsGoingWith } from './classifications.js';
import { page, pageBounds, requireId, type StoreContext } from './context.js';
import type {
  DatasetRecord,
  DatasetStats,
  DeletedFiles,
  NewDataset,
  Page,
  SampleQuery,
  StoredSample,
} from './types.js';

interface DatasetRow {
  id: number;
  name: string;
  source_root: string;
  layout: DatasetRecord['layout'];
  classes: string;
  preprocess: string;
  train_count: number;
  val_count: number;
  test_count: number;
  class_counts: string;
  size_histogram: string;
  content_hash: string;
  skipped: string;
  created_at: number;
}

interface SampleRow {
  id: number;
  dataset_id: number;
  key: string;
  path: string;
  class_name: string;
  label: number;
  split: Split;
  width: number;
  height: number;
  channels: number;
  format: StoredSample['format'];
  group_key: string | null;
  lat: number | null;
  lon: number | null;
}

export const SAMPLE_COLUMNS =
  'id, dataset_id, key, path, class_name, label, split, width, height, channels, format, group_key, lat, lon';

function toDataset(r: DatasetRow): DatasetRecord {
  return {
    id: r.id,
    name: r.name,
    sourceRoot: r.source_root,
    layout: r.layout,
    classes: fromJson<string[]>(r.classes),
    preprocess: fromJson(r.preprocess),
    splitCounts: { train: r.train_count, val: r.val_count, test: r.test_count },
    classCounts: fromJson(r.class_counts),
    contentHash: r.content_hash,
    skipped: fromJson(r.skipped),
    createdAt: r.created_at,
  };
}

export function toSample(r: SampleRow): StoredSample {
  return {
    id: r.id,
    datasetId: r.dataset_id,
    key: r.key,
    path: r.path,
    className: r.class_name,
    label: r.label,
    split: r.split,
    width: r.width,
    height: r.height,
    channels: r.channels,
    format: r.format,
    group: r.group_key,
    geo: r.lat === null || r.lon === null ? null : { lat: r.lat, lon: r.lon },
  };
}

function emptyClassCounts(classCount: number): Record<Split, number[]> {
  return { train: new Array(classCount).fill(0), val: new Array(classCount).fill(0), test: new Array(classCount).fill(0) };
}

type SizeHistogram = Pick<DatasetStats, 'sizes' | 'sizesByClass'>;

/** Sizes most frequent first (ties: width, height ascending); per class by label, width, height. */
export function sizeHistogram(samples: readonly SampleRecord[]): SizeHistogram {
  const all = new Map<string, { width: number; height: number; count: number }>();
  const byClass = new Map<string, { label: number; width: number; height: number; count: number }>();
  for (const s of samples) {
    const k = `${s.width}x${s.height}`;
    const a = all.get(k) ?? { width: s.width, height: s.height, count: 0 };
    a.count++;
    all.set(k, a);
    const kc = `${s.label}:${k}`;
    const c = byClass.get(kc) ?? { label: s.label, width: s.width, height: s.height, count: 0 };
    c.count++;
    byClass.set(kc, c);
  }
  return {
    sizes: [...all.values()].sort((a, b) => b.count - a.count || a.width - b.width || a.height - b.height),
    sizesByClass: [...byClass.values()].sort((a, b) => a.label - b.label || a.width - b.width || a.height - b.height),
  };
}

function validateSamples(classes: string[], samples: SampleRecord[]): void {
  const keys = new Set<string>();
  for (const s of samples) {
    if (keys.has(s.key)) throw new Error(`duplicate sample key '${s.key}'`);
    keys.add(s.key);
    if (!Number.isInteger(s.label) || s.label < 0 || s.label >= classes.length) {
      throw new Error(`sample '${s.key}' has label ${s.label} outside 0..${classes.length - 1}`);
    }
    if (classes[s.label] !== s.className) {
      throw new Error(`sample '${s.key}' has class '${s.className}' but label ${s.label} is '${classes[s.label]}'`);
    }
    if (!SPLITS.includes(s.split)) throw new Error(`sample '${s.key}' has unknown split '${String(s.split)}'`);
  }
}

export function createDatasetRepo(ctx: StoreContext) {
  const getRow = (id: number) => ctx.stmt('SELECT * FROM datasets WHERE id = ?').get(id) as DatasetRow | undefined;

  function mustGet(id: number): DatasetRecord {
    const row = getRow(requireId(id, 'dataset id'));
    if (!row) throw new Error(`dataset ${id} not found`);
    return toDataset(row);
  }

  function create(input: NewDataset): DatasetRecord {
    const { name, report, preprocess } = input;
    if (typeof name !== 'string' || name.trim() === '') throw new Error('dataset name must be a non-empty string');
    if (report.classes.length === 0) throw new Error('dataset must have at least one class');
    validateSamples(report.classes, report.samples);
    const classCounts = emptyClassCounts(report.classes.length);
    for (const s of report.samples) classCounts[s.split][s.label]++;
    const splitCount = (split: Split) => classCounts[split].reduce((a, b) => a + b, 0);
    return ctx.tx(() => {
      const info = ctx
        .stmt(
          `INSERT INTO datasets (name, source_root, layout, classes, preprocess, train_count, val_count, test_count,
             class_counts, size_histogram, content_hash, skipped, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          name.trim(),
          report.root,
          report.layout,
          toJson(report.classes),
          toJson(preprocess),
          splitCount('train'),
          splitCount('val'),
          splitCount('test'),
          toJson(classCounts),
          toJson(sizeHistogram(report.samples)),
          report.contentHash,
          toJson(report.skipped),
          ctx.now(),
        );
      const id = Number(info.lastInsertRowid);
      const insert = ctx.stmt(
        `INSERT INTO samples (dataset_id, key, path, class_name, label, split, width, height, channels, format,
           group_key, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of report.samples) {
        insert.run(id, s.key, s.path, s.className, s.label, s.split, s.width, s.height, s.channels, s.format,
          s.group ?? null, s.geo?.lat ?? null, s.geo?.lon ?? null);
      }
      return mustGet(id);
    });
  }

  function list(): DatasetRecord[] {
    return (ctx.stmt('SELECT * FROM datasets ORDER BY created_at DESC, id DESC').all() as DatasetRow[]).map(toDataset);
  }

  function findByHash(contentHash: string): DatasetRecord[] {
    const rows = ctx.stmt('SELECT * FROM datasets WHERE content_hash = ? ORDER BY id').all(contentHash) as DatasetRow[];
    return rows.map(toDataset);
  }

  function rename(id: number, name: string): DatasetRecord {
    if (typeof name !== 'string' || name.trim() === '') throw new Error('dataset name must be a non-empty string');
    mustGet(id);
    ctx.stmt('UPDATE datasets SET name = ? WHERE id = ?').run(name.trim(), id);
    return mustGet(id);
  }

  /** Refused while runs use the dataset unless `cascade`; then those runs go too and their files are returned. */
  function remove(id: number, opts: { cascade?: boolean } = {}): DeletedFiles {
    return ctx.tx(() => {
      mustGet(id);
      const runCount = ctx.value<number>('SELECT count(*) FROM runs WHERE dataset_id = ?', id);
      if (runCount > 0 && !opts.cascade) {
        throw new Error(`dataset ${id} is used by ${runCount} run(s); delete them first or pass cascade: true`);
      }
      const classificationsDeleted = classificationsGoingWith(
        ctx,
        `dataset ${id}`,
        'SELECT id FROM models WHERE run_id IN (SELECT id FROM runs WHERE dataset_id = ?)',
        [id],
        opts.cascade ?? false,
      );
      const files = ctx.column<string>(
        `SELECT dir FROM models WHERE run_id IN (SELECT id FROM runs WHERE dataset_id = @id)
         UNION ALL
         SELECT path FROM checkpoints WHERE run_id IN (SELECT id FROM runs WHERE dataset_id = @id)`,
        { id },
      );
      ctx.stmt('DELETE FROM runs WHERE dataset_id = ?').run(id);
      ctx.stmt('DELETE FROM datasets WHERE id = ?').run(id);
      return { files, classificationsDeleted };
    });
  }

  /** Counts and size histograms, computed at import (a dataset's samples never change). */
  function stats(id: number): DatasetStats {
    const row = getRow(requireId(id, 'dataset id'));
    if (!row) throw new Error(`dataset ${id} not found`);
    const ds = toDataset(row);
    const sizes = fromJson<SizeHistogram>(row.size_histogram);
    return {
      datasetId: id,
      classes: ds.classes,
      classCounts: ds.classCounts,
      splitCounts: ds.splitCounts,
      sizes: sizes.sizes,
      sizesByClass: sizes.sizesByClass,
    };
  }

  /** Samples in import order, optionally filtered by class label and/or split. */
  function samples(id: number, query: SampleQuery = {}): Page<StoredSample> {
    mustGet(id);
    const bounds = pageBounds(query);
    const where = ['dataset_id = @id'];
    if (query.split !== undefined) {
      if (!SPLITS.includes(query.split)) throw new Error(`unknown split '${String(query.split)}'`);
      where.push('split = @split');
    }
    if (query.label !== undefined) where.push('label = @label');
    const params = { id, split: query.split, label: query.label, limit: bounds.limit, offset: bounds.offset };
    const cond = where.join(' AND ');
    const total = ctx.value<number>(`SELECT count(*) FROM samples WHERE ${cond}`, params);
    const rows = ctx
      .stmt(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE ${cond} ORDER BY id LIMIT @limit OFFSET @offset`)
      .all(params) as SampleRow[];
    return page(rows.map(toSample), total, bounds);
  }

  function sample(datasetId: number, key: string): StoredSample | undefined {
    const row = ctx
      .stmt(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE dataset_id = ? AND key = ?`)
      .get(datasetId, key) as SampleRow | undefined;
    return row && toSample(row);
  }

  return {
    create,
    get: (id: number): DatasetRecord | undefined => {
      const row = getRow(requireId(id, 'dataset id'));
      return row && toDataset(row);
    },
    list,
    findByHash,
    rename,
    delete: remove,
    stats,
    samples,
    sample,
  };
}

export type DatasetRepo = ReturnType<typeof createDatasetRepo>;
