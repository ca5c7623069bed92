/**
 * Training checkpoints: `<outDir>/checkpoint/` holds state.json (everything small) and arrays.bin
 * (model weights, optimizer moments, best/previous-epoch weights, online-teacher logits) as named
 * float32 blocks. Written atomically, so a crash or cancel leaves the previous checkpoint intact.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TrainConfig } from './config.js';
import type { OnlineSnapshot } from './onlineTeacher.js';
import type { EpochMetrics, TrainPhase } from './types.js';
import { writeDirAtomic } from './atomicDir.js';

export const CHECKPOINT_DIR = 'checkpoint';

export interface CheckpointState {
  format: 'aura-kd-checkpoint';
  version: 1;
  config: TrainConfig;
  /** Phase of the last completed epoch. */
  phase: TrainPhase;
  /** Completed epochs of that phase. */
  epoch: number;
  /** Every epoch's metrics so far (teacher then student). */
  metrics: EpochMetrics[];
  /** Student phase: best validation epoch (or last epoch without validation) and its accuracy. */
  bestEpoch: number;
  bestValAccuracy: number | null;
  epochsSinceBest: number;
  optimizerStep: number;
  /** Online teacher without its logits (those are the 'online/logits' array). */
  online: Omit<OnlineSnapshot, 'logits'> | null;
  /** The run's random streams are derived from (seed, phase, epoch); the next epoch resumes them exactly. */
  rng: { seed: number; nextEpoch: number };
  elapsedSec: number;
}

interface ArrayEntry {
  name: string;
  offset: number;
  length: number;
}

export function checkpointDir(outDir: string): string {
  return path.join(outDir, CHECKPOINT_DIR);
}

export async function saveCheckpoint(outDir: string, state: CheckpointState, arrays: Map<string, Float32Array>): Promise<void> {
  const entries: ArrayEntry[] = [];
  let offset = 0;
  for (const [name, a] of arrays) {
    entries.push({ name, offset, length: a.length });
    offset += a.length;
  }
  const blob = new Float32Array(offset);
  for (const e of entries) blob.set(arrays.get(e.name) as Float32Array, e.offset);
  await writeDirAtomic(checkpointDir(outDir), async (tmp) => {
    await writeFile(path.join(tmp, 'arrays.bin'), Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength));
    await writeFile(path.join(tmp, 'state.json'), JSON.stringify({ ...state, arrays: entries }));
  });
}

/** The last checkpoint of `outDir`, or null when there is none. */
export async function loadCheckpoint(outDir: string): Promise<{ state: CheckpointState; arrays: Map<string, Float32Array> } | null> {
  const dir = checkpointDir(outDir);
  if (!existsSync(path.join(dir, 'state.json'))) return null;
  const parsed = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as CheckpointState & { arrays: ArrayEntry[] };
  if (parsed.format !== 'aura-kd-checkpoint' || parsed.version !== 1) throw new Error(`${dir}: not a version-1 AURA-KD checkpoint`);
  const bin = await readFile(path.join(dir, 'arrays.bin'));
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const arrays = new Map<string, Float32Array>();
  for (const e of parsed.arrays) {
    if (e.offset + e.length > all.length) throw new Error(`${dir}: arrays.bin is truncated`);
    arrays.set(e.name, all.slice(e.offset, e.offset + e.length));
  }
  const { arrays: _entries, ...state } = parsed;
  return { state, arrays };
}

export async function removeCheckpoint(outDir: string): Promise<void> {
  await rm(checkpointDir(outDir), { recursive: true, force: true });
}

/** Put a list of arrays into the map as `<prefix>/<i>`. */
export function putArrays(map: Map<string, Float32Array>, prefix: string, list: Float32Array[]): void {
  list.forEach((a, i) => map.set(`${prefix}/${i}`, a));
}

/** Read back the arrays stored by `putArrays` (null when the prefix is absent). */
export function getArrays(map: Map<string, Float32Array>, prefix: string): Float32Array[] | null {
  const out: Float32Array[] = [];
  for (let i = 0; map.has(`${prefix}/${i}`); i++) out.push(map.get(`${prefix}/${i}`) as Float32Array);
  return out.length > 0 ? out : null;
}
