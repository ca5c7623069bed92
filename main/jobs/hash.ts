/** sha256 of a file or of a directory's files (sorted by relative path) — the history keeps these. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(p)));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

export async function sha256Path(path: string): Promise<string> {
  const hash = createHash('sha256');
  if ((await stat(path)).isDirectory()) {
    const files = (await filesUnder(path)).sort();
    for (const f of files) {
      hash.update(relative(path, f).split('\\').join('/'));
      hash.update('\0');
      hash.update(await readFile(f));
    }
  } else {
    hash.update(await readFile(path));
  }
  return hash.digest('hex');
}

export function sha256FileSync(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
