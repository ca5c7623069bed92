/** Map store/engine errors onto the API's typed errors. */
import { ApiError } from '../contract.js';

export function notFound(what: string): never {
  throw new ApiError('notFound', `${what} not found`);
}

/** Run a store call; its validation errors become 'invalid'/'conflict' with the store's message. */
export function storeCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (/not found/i.test(message)) throw new ApiError('notFound', message);
    if (/refus|in use|cannot|can't|running|transition/i.test(message)) throw new ApiError('conflict', message);
    throw new ApiError('invalid', message);
  }
}
