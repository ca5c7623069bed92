/** Atomic directory writes: build the content in a sibling temp directory, then rename it into place. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';

let counter = 0;

function sibling(dir: string, tag: string): string {
  counter += 1;
  return path.join(path.dirname(dir), `.${path.basename(dir)}.${tag}-${process.pid}-${Date.now()}-${counter}`);
}

/**
 * Write `dir` atomically: `fill` writes into a fresh temp directory next to it; on success the old
 * `dir` (if any) is moved aside, the temp renamed to `dir`, and the old copy removed. On failure the
 * temp is removed and `dir` is left as it was. A reader never sees a half-written `dir`.
 */
export async function writeDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const target = path.resolve(dir);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = sibling(target, 'tmp');
  await mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let old: string | null = null;
  if (existsSync(target)) {
    old = sibling(target, 'old');
    await rename(target, old);
  }
  try {
    await rename(tmp, target);
  } catch (err) {
    if (old) await rename(old, target);
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  if (old) await rm(old, { recursive: true, force: true });
}
