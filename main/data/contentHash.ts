/** Dataset version identity: sha256 over the sorted (key, file bytes, pixel size, label, split) lines. */
import { createHash } from 'node:crypto';
import type { SampleRecord } from './types.js';
import { compareCodePoints } from './listChipFiles.js';

export function datasetContentHash(samples: readonly SampleRecord[], classes: readonly string[]): string {
  const lines = samples
    .map((s) => `${s.key}\t${s.bytes ?? -1}\t${s.width}x${s.height}x${s.channels}\t${s.label}\t${s.split}`)
    .sort(compareCodePoints);
  const h = createHash('sha256');
  h.update(`classes\t${classes.join('\t')}\n`);
  for (const line of lines) h.update(`${line}\n`);
  return h.digest('hex');
}
