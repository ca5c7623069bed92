/** What a transport (IPC, WebSocket server, CLI) needs from the app service. */
import type { BackendPreference } from '../engine/config.js';
import type { ApiEvents, ApiResponse, ChipRef, EventName, OperationName } from './contract.js';

export interface AppService {
  /** Validate `input` against the contract and run the operation. Throws ApiError. */
  call<K extends OperationName>(op: K, input: unknown): Promise<ApiResponse<K>>;
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
  /** PNG rendering of a chip (intensity-stretched), for chip:// and /chips/. Throws ApiError('notFound'). */
  chipImage(ref: ChipRef): Promise<Buffer>;
  readonly paths: { dataDir: string; database: string };
  close(): Promise<void>;
}

/** A child process as the job runner sees it: Node's ChildProcess and Electron's UtilityProcess both fit. */
export interface JobProcess {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts a worker module in a new process (default: child_process.fork; Electron: utilityProcess.fork). */
export type ProcessSpawner = (modulePath: string, args: string[], env: Record<string, string>) => JobProcess;

export interface AppServiceOptions {
  /** Where the history database, models and caches live (default: defaultDataDir()). */
  dataDir?: string;
  backend?: BackendPreference;
  spawner?: ProcessSpawner;
  /** Max training jobs at once (default 1; the rest queue in order). */
  maxConcurrentTraining?: number;
  /** Turns a chip path ('sample/3?key=…', see protocol.chipPath) into the URL the transport serves
   *  (default: the desktop app's chip:// scheme). */
  chipUrl?: (chipPath: string) => string;
}
