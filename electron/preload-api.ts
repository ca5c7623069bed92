/**
 * The shape of `window.aura`, exposed by electron/preload.ts, and the small pieces both sides of the
 * IPC bridge agree on. The renderer may import this module: it holds types and pure functions only.
 */
import type { ApiErrorCode, ApiEvents, ApiInput, ApiResponse, ChipRef, EventName, OperationName } from '../main/api/contract.js';

/** Sections of the app the menu can switch to. */
export type AppView = 'datasets' | 'runs' | 'compare' | 'models' | 'classify';
export const APP_VIEWS: readonly AppView[] = ['datasets', 'runs', 'compare', 'models', 'classify'];

/** Payload of the 'menu' event: what the user chose in the native menu. */
export type MenuCommand = { action: 'importFolder' } | { action: 'navigate'; view: AppView };

/** Events a renderer can subscribe to: every service event plus 'menu'. */
export type BridgeEvents = ApiEvents & { menu: MenuCommand };
export type BridgeEventName = keyof BridgeEvents;

export interface AuraBridge {
  /** Run an API operation; rejects with an Error whose message carries the ApiError code (see decodeBridgeError). */
  call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>>;
  /** Subscribe to a service event or to 'menu'; returns the unsubscribe function. */
  on<E extends BridgeEventName>(event: E, listener: (payload: BridgeEvents[E]) => void): () => void;
  /** chip://… URL of a PNG rendering of a chip. */
  chipUrl(ref: ChipRef): string;
  /** Native folder picker; null when the user cancels. */
  pickFolder(): Promise<string | null>;
}

/** What an 'api:<op>' handler resolves to (errors travel as values so their code survives IPC). */
export type IpcResult<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: ApiErrorCode; message: string } };

const ERROR_CODES: readonly ApiErrorCode[] = ['invalid', 'notFound', 'conflict', 'failed', 'unknownOperation'];

/**
 * Message of the Error the bridge throws. Electron's contextBridge copies only an Error's message
 * into the page, so the code rides in front of it: "[notFound] Run 7 does not exist".
 */
export function encodeBridgeError(code: ApiErrorCode, message: string): string {
  return `[${code}] ${message}`;
}

/** Recover {code, message} from whatever `window.aura.call` rejected with. */
export function decodeBridgeError(error: unknown): { code: ApiErrorCode; message: string } {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : String(error);
  const own = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  const m = /^\[([A-Za-z]+)\] ([\s\S]*)$/.exec(raw);
  if (m && (ERROR_CODES as readonly string[]).includes(m[1])) return { code: m[1] as ApiErrorCode, message: m[2] };
  if (typeof own === 'string' && (ERROR_CODES as readonly string[]).includes(own)) return { code: own as ApiErrorCode, message: raw };
  return { code: 'failed', message: raw };
}

export function isBridgeEventName(name: unknown, eventNames: readonly EventName[]): name is BridgeEventName {
  return name === 'menu' || (typeof name === 'string' && (eventNames as readonly string[]).includes(name));
}
