/**
 * Imports a chip folder: `<root>/<class>/**` or `<root>/<split>/<class>/**` (split folders train, val
 * or validation, test; case-insensitive). Every file is decoded once to validate it and read its size;
 * files that fail land in `skipped` with their reason and the import goes on. Hidden entries and loose
 * files directly in the root or split folders are ignored. Classes = folders with ≥1 readable chip,
 * sorted by code point; label = index. The class layout gets a seeded stratified split
 * (`assignSplits`); a split layout without validation chips gets `valFraction` of train carved off.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { mapWithConcurrency } from './concurrency.js';
import { datasetContentHash } from './contentHash.js';
import { decodeChipBuffer, ChipDecodeError } from './decodeChip.js';
import { groupKeyFor, type GroupBy } from './groupKey.js';
import { compareCodePoints, listChipFiles, listSubdirectories, toKey } from './listChipFiles.js';
import { assignSplits, carveValidation } from './splits.js';
import type { ImportReport, SampleRecord, SkippedFile, Split } from './types.js';

export interface ImportOptions {
  onProgress?(done: number, total: number): void;
  signal?: AbortSignal;
  /** Largest accepted chip side in px (default 4096). */
  maxSide?: number;
  /** Validation share per class (class layout, or carved from train when a split layout has no val). Default 0.15. */
  valFraction?: number;
  /** Test share per class for the class layout. Default 0.15. */
  testFraction?: number;
  /** Split seed. Default 1. */
  seed?: number;
  /** Group key extractor; any value other than 'none' keeps groups on one side of the split. Default 'none'. */
  groupBy?: GroupBy;
  /** Files read in parallel. Default 4. */
  concurrency?: number;
  /**
   * A separate folder `<testRoot>/<class>/*` whose chips are all the test split (e.g. MSTAR 15° chips
   * next to 17° training chips); the main root then gives only train and validation chips.
   */
  testRoot?: string;
}

const SPLIT_FOLDERS: Record<string, Split> = { train: 'train', val: 'val', validation: 'val', test: 'test' };

interface Candidate {
  path: string;
  className: string;
  split?: Split;
  fromTestRoot?: boolean;
}

/** The chips of a separate test folder (`<testRoot>/<class>/*`), all in the test split. */
async function testCandidates(root: string, testRoot: string, main: Candidate[]): Promise<Candidate[]> {
  if (testRoot === root) throw new Error(`${testRoot}: the test folder is the training folder`);
  if (main.some((c) => c.split === 'test')) throw new Error(`${root}: has its own test folder; give either that or a separate test folder`);
  const { layout, candidates } = await findCandidates(testRoot);
  if (layout !== 'class') throw new Error(`${testRoot}: a separate test folder must hold class folders (<test>/<class>/*), not split folders`);
  return candidates.map((c) => ({ ...c, split: 'test' as const, fromTestRoot: true }));
}

export function splitOfFolder(name: string): Split | undefined {
  return SPLIT_FOLDERS[name.toLowerCase()];
}

async function findCandidates(root: string): Promise<{ layout: ImportReport['layout']; candidates: Candidate[] }> {
  const top = await listSubdirectories(root);
  if (top.length === 0) throw new Error(`${root}: no class folders found (expected <root>/<class>/* or <root>/<split>/<class>/*)`);
  const splitDirs = top.filter((d) => splitOfFolder(d) !== undefined);
  if (splitDirs.length > 0 && splitDirs.length < top.length) {
    const others = top.filter((d) => splitOfFolder(d) === undefined);
    throw new Error(`${root}: mixes split folders (${splitDirs.join(', ')}) with other folders (${others.slice(0, 3).join(', ')})`);
  }
  const candidates: Candidate[] = [];
  if (splitDirs.length === 0) {
    for (const cls of top) {
      for (const file of await listChipFiles(path.join(root, cls))) candidates.push({ path: file, className: cls });
    }
    return { layout: 'class', candidates };
  }
  for (const splitDir of splitDirs) {
    const split = splitOfFolder(splitDir)!;
    for (const cls of await listSubdirectories(path.join(root, splitDir))) {
      for (const file of await listChipFiles(path.join(root, splitDir, cls))) candidates.push({ path: file, className: cls, split });
    }
  }
  return { layout: 'split/class', candidates };
}

export async function importFolder(rootDir: string, opts: ImportOptions = {}): Promise<ImportReport> {
  const root = path.resolve(rootDir);
  const groupBy = opts.groupBy ?? 'none';
  const respectGroups = groupBy !== 'none';
  const { layout, candidates } = await findCandidates(root);
  const testRoot = opts.testRoot === undefined ? undefined : path.resolve(opts.testRoot);
  if (testRoot !== undefined) candidates.push(...(await testCandidates(root, testRoot, candidates)));
  opts.signal?.throwIfAborted();

  // Chips of a separate test folder are keyed 'test/<class>/<file>' (the main root cannot have a test folder then).
  const keyOf = (c: Candidate) => (c.fromTestRoot && testRoot ? `test/${toKey(testRoot, c.path)}` : toKey(root, c.path));
  let done = 0;
  const skipped: SkippedFile[] = [];
  const decoded = await mapWithConcurrency(
    candidates,
    opts.concurrency ?? 4,
    async (c) => {
      try {
        const buf = await readFile(c.path);
        const chip = await decodeChipBuffer(buf, keyOf(c), { maxSide: opts.maxSide });
        return { c, chip, bytes: buf.length };
      } catch (err) {
        const reason = err instanceof ChipDecodeError ? err.message : `${keyOf(c)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
        skipped.push({ path: c.path, reason });
        return null;
      } finally {
        opts.onProgress?.(++done, candidates.length);
      }
    },
    opts.signal,
  );

  const ok = decoded.filter((d) => d !== null);
  const classes = [...new Set(ok.map((d) => d.c.className))].sort(compareCodePoints);
  const labelOf = new Map(classes.map((c, i) => [c, i]));
  let samples: SampleRecord[] = ok.map(({ c, chip, bytes }) => {
    const key = keyOf(c);
    const s: SampleRecord = {
      key,
      path: c.path,
      className: c.className,
      label: labelOf.get(c.className)!,
      split: c.split ?? 'train',
      width: chip.width,
      height: chip.height,
      channels: chip.channels,
      format: chip.format,
      bytes,
    };
    const group = groupKeyFor(key, groupBy);
    if (group !== undefined) s.group = group;
    if (chip.geo) s.geo = chip.geo;
    return s;
  });
  samples.sort((a, b) => compareCodePoints(a.key, b.key));

  const seed = opts.seed ?? 1;
  const val = opts.valFraction ?? 0.15;
  if (testRoot !== undefined) {
    const trainClasses = new Set(samples.filter((s) => s.split !== 'test').map((s) => s.className));
    const unknown = classes.filter((c) => !trainClasses.has(c));
    if (unknown.length) throw new Error(`${testRoot}: test classes without training chips: ${unknown.join(', ')}`);
    const held = samples.filter((s) => s.split === 'test');
    const rest = samples.filter((s) => s.split !== 'test');
    const trainSide = layout === 'class' ? assignSplits(rest, { val, test: 0, seed, respectGroups }) : val > 0 && !rest.some((s) => s.split === 'val') ? carveValidation(rest, val, seed, respectGroups) : rest;
    samples = [...trainSide, ...held].sort((a, b) => compareCodePoints(a.key, b.key));
  } else if (layout === 'class') {
    samples = assignSplits(samples, { val, test: opts.testFraction ?? 0.15, seed, respectGroups });
  } else if (val > 0 && !samples.some((s) => s.split === 'val')) {
    samples = carveValidation(samples, val, seed, respectGroups);
  }
  skipped.sort((a, b) => compareCodePoints(a.path, b.path));
  return { root, layout, classes, samples, skipped, contentHash: datasetContentHash(samples, classes) };
}
