/** Desktop mode: the API through the preload's `window.aura` bridge (IPC). */
import type { AppClient } from './client.js';
import { RendererApiError, errorMessage } from './errors.js';
import type { ApiEvents, ApiInput, ApiResponse, ChipRef, EventName, OperationName } from './types.js';

/** What electron/preload.ts exposes as `window.aura`. */
export interface AuraBridge {
  call(op: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  chipUrl(ref: ChipRef): string;
  pickFolder(): Promise<string | null>;
}

declare global {
  interface Window {
    aura?: AuraBridge;
  }
}

function codeOf(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string')
    return (error as { code: string }).code;
  return 'failed';
}

export function createBridgeClient(bridge: AuraBridge): AppClient {
  return {
    mode: 'desktop',
    pickFolder: () => bridge.pickFolder(),
    async call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>> {
      try {
        return (await bridge.call(op, input ?? {})) as ApiResponse<K>;
      } catch (error) {
        throw new RendererApiError(codeOf(error), errorMessage(error));
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
    chipUrl: (ref: ChipRef) => bridge.chipUrl(ref),
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
  };
}
