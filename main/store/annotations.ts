/** What analysts attach to runs: tags and a free-text note. */
import { requireId, type StoreContext } from './context.js';

export const MAX_TAG_LENGTH = 64;
export const MAX_NOTE_LENGTH = 20_000;

/** Trimmed tag; refuses empty or over-long ones. Tags are case-sensitive. */
export function normaliseTag(tag: unknown): string {
  if (typeof tag !== 'string') throw new Error('tag must be a string');
  const t = tag.trim();
  if (t === '' || t.length > MAX_TAG_LENGTH) throw new Error(`tag must be 1..${MAX_TAG_LENGTH} characters, got '${t}'`);
  return t;
}

export function createAnnotationRepo(ctx: StoreContext) {
  function mustExist(runId: number): void {
    if (ctx.value('SELECT 1 FROM runs WHERE id = ?', requireId(runId, 'run id')) === undefined) {
      throw new Error(`run ${runId} not found`);
    }
  }

  function tagsOf(runId: number): string[] {
    return ctx.column<string>('SELECT tag FROM tags WHERE run_id = ? ORDER BY tag', runId);
  }

  return {
    /** Adds a tag (no-op when present); returns the run's tags. */
    addTag(runId: number, tag: string): string[] {
      const t = normaliseTag(tag);
      mustExist(runId);
      ctx.stmt('INSERT OR IGNORE INTO tags (run_id, tag) VALUES (?, ?)').run(runId, t);
      return tagsOf(runId);
    },
    /** Removes a tag (no-op when absent); returns the run's tags. */
    removeTag(runId: number, tag: string): string[] {
      const t = normaliseTag(tag);
      mustExist(runId);
      ctx.stmt('DELETE FROM tags WHERE run_id = ? AND tag = ?').run(runId, t);
      return tagsOf(runId);
    },
    /** Replaces the run's tags with `tags` (deduplicated) in one transaction. */
    setTags(runId: number, tags: string[]): string[] {
      const unique = [...new Set(tags.map(normaliseTag))];
      return ctx.tx(() => {
        mustExist(runId);
        ctx.stmt('DELETE FROM tags WHERE run_id = ?').run(runId);
        for (const t of unique) ctx.stmt('INSERT INTO tags (run_id, tag) VALUES (?, ?)').run(runId, t);
        return tagsOf(runId);
      });
    },
    tagsOf(runId: number): string[] {
      mustExist(runId);
      return tagsOf(runId);
    },
    /** Every tag in use with the number of runs carrying it, alphabetical. */
    allTags(): Array<{ tag: string; count: number }> {
      return ctx.stmt('SELECT tag, count(*) AS count FROM tags GROUP BY tag ORDER BY tag').all() as Array<{
        tag: string;
        count: number;
      }>;
    },
    setNote(runId: number, note: string): void {
      if (typeof note !== 'string') throw new Error('note must be a string');
      if (note.length > MAX_NOTE_LENGTH) throw new Error(`note is longer than ${MAX_NOTE_LENGTH} characters`);
      mustExist(runId);
      ctx.stmt('UPDATE runs SET note = ? WHERE id = ?').run(note, runId);
    },
    getNote(runId: number): string {
      mustExist(runId);
      return ctx.value<string>('SELECT note FROM runs WHERE id = ?', runId);
    },
  };
}

export type AnnotationRepo = ReturnType<typeof createAnnotationRepo>;
