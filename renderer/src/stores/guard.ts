/** Runs an async store action, turning a failure into the store's readable `error` line. */
import type { Ref } from 'vue';
import { errorMessage } from '../api/errors.js';

export async function guarded<T>(error: Ref<string | null>, busy: Ref<boolean> | null, work: () => Promise<T>): Promise<T | undefined> {
  if (busy) busy.value = true;
  try {
    const result = await work();
    return result;
  } catch (e) {
    error.value = errorMessage(e);
    return undefined;
  } finally {
    if (busy) busy.value = false;
  }
}
