/** What every repository module shares: the connection, a prepared-statement cache and the clock. */
import type Database from 'better-sqlite3';
import type { Page, PageRequest } from './types.js';

export interface StoreContext {
  db: Database.Database;
  /** Prepared statement for `sql`, compiled once per connection. */
  stmt(sql: string): Database.Statement;
  /** First column of the first row (undefined when no row). */
  value<T>(sql: string, ...params: unknown[]): T;
  /** First column of every row. */
  column<T>(sql: string, ...params: unknown[]): T[];
  /** Run `fn` in a transaction (a savepoint when already inside one). */
  tx<T>(fn: () => T): T;
  now(): number;
}

export function createContext(db: Database.Database, now: () => number): StoreContext {
  const cache = new Map<string, Database.Statement>();
  const plucked = new Map<string, Database.Statement>();
  const prepared = (map: Map<string, Database.Statement>, sql: string, pluck: boolean) => {
    let s = map.get(sql);
    if (!s) {
      s = db.prepare(sql);
      if (pluck) s.pluck();
      map.set(sql, s);
    }
    return s;
  };
  return {
    db,
    stmt: (sql) => prepared(cache, sql, false),
    value: <T>(sql: string, ...params: unknown[]) => prepared(plucked, sql, true).get(...params) as T,
    column: <T>(sql: string, ...params: unknown[]) => prepared(plucked, sql, true).all(...params) as T[],
    tx(fn) {
      return db.transaction(fn)();
    },
    now,
  };
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 1000;

/** Validated limit/offset of a page request. */
export function pageBounds(req: PageRequest | undefined): { limit: number; offset: number } {
  const limit = req?.limit ?? DEFAULT_PAGE_LIMIT;
  const offset = req?.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new Error(`page limit must be an integer in 1..${MAX_PAGE_LIMIT}, got ${limit}`);
  }
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`page offset must be a non-negative integer, got ${offset}`);
  return { limit, offset };
}

export function page<T>(items: T[], total: number, bounds: { limit: number; offset: number }): Page<T> {
  return { items, total, limit: bounds.limit, offset: bounds.offset };
}

export function requireId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}
