/** Browser mode: the API over one WebSocket (protocol in main/api/protocol.ts), reconnecting on loss. */
import { CHIP_HTTP_PREFIX, WS_PATH, chipPath } from '../../../main/api/protocol.js';
import type { CallMessage, ServerMessage } from '../../../main/api/protocol.js';
import type { AppClient, ConnectionState } from './client.js';
import { RendererApiError } from './errors.js';
import type { ApiEvents, ApiInput, ApiResponse, ChipRef, EventName, OperationName } from './types.js';

/** The part of the browser WebSocket the client uses (a fake one in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export interface WsClientOptions {
  /** Page origin host, e.g. '127.0.0.1:8080'. */
  host: string;
  token: string;
  createSocket?: (url: string) => SocketLike;
  /** First reconnect delay; doubles up to 5 s. */
  reconnectMs?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
}

const OPEN = 1;
const MAX_RECONNECT_MS = 5000;

interface Pending {
  op: OperationName;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface WsClient extends AppClient {
  close(): void;
}

export function wsUrl(host: string, token: string): string {
  return `ws://${host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

export function browserChipUrl(ref: ChipRef, token: string): string {
  return `${CHIP_HTTP_PREFIX}${chipPath(ref)}&token=${encodeURIComponent(token)}`;
}

export function createWsClient(options: WsClientOptions): WsClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const baseDelay = options.reconnectMs ?? 500;
  const url = wsUrl(options.host, options.token);
  const pending = new Map<number, Pending>();
  const outbox: string[] = [];
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let delay = baseDelay;
  let closedByUser = false;

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  }

  function connect(): void {
    setState('connecting');
    const ws = createSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = baseDelay;
      setState('open');
      for (const message of outbox.splice(0)) ws.send(message);
    };
    ws.onmessage = (ev) => handleMessage(ev.data);
    ws.onerror = () => undefined;
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(new RendererApiError('failed', `${call.op}: the connection to the server was lost.`));
      }
      setState('closed');
      if (!closedByUser) {
        setTimer(connect, delay);
        delay = Math.min(delay * 2, MAX_RECONNECT_MS);
      }
    };
  }

  function handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: ServerMessage;
    try {
      message = JSON.parse(data) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new RendererApiError(message.error.code, message.error.message));
    } else if (message.type === 'event') {
      const set = listeners.get(message.event);
      if (set) for (const listener of [...set]) (listener as (p: unknown) => void)(message.payload);
    }
  }

  connect();

  return {
    mode: 'browser',
    pickFolder: null,
    call<K extends OperationName>(op: K, input: ApiInput<K>): Promise<ApiResponse<K>> {
      if (closedByUser) return Promise.reject(new RendererApiError('failed', `${op}: the client is closed.`));
      const id = nextId++;
      const message: CallMessage = { type: 'call', id, op, input };
      const text = JSON.stringify(message);
      return new Promise<ApiResponse<K>>((resolve, reject) => {
        pending.set(id, { op, resolve: resolve as (v: unknown) => void, reject });
        if (socket && socket.readyState === OPEN && state === 'open') socket.send(text);
        else outbox.push(text);
      });
    },
    on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
    chipUrl: (ref: ChipRef) => browserChipUrl(ref, options.token),
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    onMenu: () => () => undefined,
    close() {
      closedByUser = true;
      const ws = socket;
      socket = null;
      for (const [id, call] of pending) {
        pending.delete(id);
        call.reject(new RendererApiError('failed', `${call.op}: the client was closed.`));
      }
      outbox.length = 0;
      ws?.close();
      setState('closed');
    },
  };
}
