/** Rebuilds an ImportReport from a stored dataset, so the data module can load its tensors. */
import type { ImportReport, SampleRecord } from '../../data/types.js';
import type { History } from '../../store/index.js';

export function storedDatasetReport(history: History, datasetId: number): ImportReport {
  const dataset = history.datasets.get(datasetId);
  if (!dataset) throw new Error(`Dataset ${datasetId} not found`);
  const samples: SampleRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = history.datasets.samples(datasetId, { limit: 1000, offset });
    for (const s of page.items) {
      samples.push({
        key: s.key,
        path: s.path,
        className: s.className,
        label: s.label,
        split: s.split,
        width: s.width,
        height: s.height,
        channels: s.channels,
        format: s.format,
        ...(s.group ? { group: s.group } : {}),
        ...(s.geo ? { geo: s.geo } : {}),
      });
    }
    if (offset + page.items.length >= page.total || page.items.length === 0) break;
  }
  return {
    root: dataset.sourceRoot,
    layout: dataset.layout,
    classes: dataset.classes,
    samples,
    skipped: [],
    contentHash: dataset.contentHash,
  };
}
