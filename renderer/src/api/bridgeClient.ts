/** Desktop mode: the API through the preload's `window.aura` bridge (IPC). */
import { decodeBridgeError } from '../../../electron/preload-api.js';
import type { AppClient, MenuCommand } from './client.js';
import { RendererApiError } from './errors.js';
import type { ApiEvents, ApiInput, ApiResponse, ChipRef, EventName, OperationName } from './types.js';

/** What electron/preload.ts exposes as `window.aura` (seen loosely typed from the page). */
export interface AuraBridge {
  call(op: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: never) => void): () => void;
  chipUrl(ref: ChipRef): string;
  pickFolder(): Promise<string | null>;
}

declare global {
  interface Window {
    aura?: AuraBridge;
  }
}

export function createBridgeClient(bridge: AuraBridge): AppClient {
  return {
    mode: 'desktop',
    pickFolder: () => bridge.pickFolder(),
    async call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>> {
      try {
        return (await bridge.call(op, input ?? {})) as ApiResponse<K>;
      } catch (error) {
        const { code, message } = decodeBridgeError(error);
        throw new RendererApiError(code, message);
      }
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      return bridge.on(event, listener as (payload: never) => void);
    },
    chipUrl: (ref: ChipRef) => bridge.chipUrl(ref),
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
    onMenu(listener: (command: MenuCommand) => void) {
      return bridge.on('menu', listener as (payload: never) => void);
    },
  };
}
