/** Directory walking for chip folders: hidden entries (leading '.') are ignored, results sorted. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export function isHiddenName(name: string): boolean {
  return name.startsWith('.');
}

/** Non-hidden subdirectory names of `dir`, sorted by code point. */
export async function listSubdirectories(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !isHiddenName(e.name)).map((e) => e.name).sort(compareCodePoints);
}

/** Absolute paths of every non-hidden file under `dir` (recursive; symlinks to files included, to folders not followed), sorted by relative path. */
export async function listChipFiles(dir: string): Promise<string[]> {
  const root = path.resolve(dir);
  const out: string[] = [];
  async function walk(current: string): Promise<void> {
    const entries = await readdir(current, { withFileTypes: true });
    for (const e of entries) {
      if (isHiddenName(e.name)) continue;
      const full = path.join(current, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.push(full);
      else if (e.isSymbolicLink() && (await stat(full).then((s) => s.isFile(), () => false))) out.push(full);
    }
  }
  await walk(root);
  return out.sort((a, b) => compareCodePoints(toKey(root, a), toKey(root, b)));
}

/** Path of `file` relative to `root` with '/' separators (a sample key). */
export function toKey(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/** Locale-independent string order (so class indices never depend on the machine's locale). */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
