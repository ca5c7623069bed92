/**
 * Wire protocol of browser mode (main/server.ts ↔ renderer/src/api/wsClient.ts) and the chip-image
 * URL scheme shared by the desktop shell (chip:// protocol) and the local server (HTTP).
 */
import type { ApiErrorCode, ChipRef, EventName, OperationName } from './contract.js';

/** WebSocket endpoint path; the token travels as ?token=… */
export const WS_PATH = '/api';
/** HTTP path prefix of chip images in browser mode. */
export const CHIP_HTTP_PREFIX = '/chips/';
/** Custom protocol scheme in the desktop app. */
export const CHIP_SCHEME = 'chip';

export interface CallMessage {
  type: 'call';
  id: number;
  op: OperationName;
  input: unknown;
}

export type ResultMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: { code: ApiErrorCode; message: string } };

export interface EventMessage {
  type: 'event';
  event: EventName;
  payload: unknown;
}

export type ServerMessage = ResultMessage | EventMessage;

/** Relative chip path '<kind>/<id>?key=…&stretch=…' used after the scheme/prefix. */
export function chipPath(ref: ChipRef): string {
  const owner = ref.kind === 'sample' ? ref.datasetId : ref.classificationId;
  const params = new URLSearchParams({ key: ref.key });
  if (ref.stretch) params.set('stretch', ref.stretch);
  return `${ref.kind}/${owner}?${params.toString()}`;
}

/** Parse '<kind>/<id>' + search params back into a ChipRef; null when malformed. */
export function parseChipPath(pathname: string, search: URLSearchParams): ChipRef | null {
  const m = /^\/*(sample|classified)\/(\d{1,12})\/?$/.exec(pathname);
  const key = search.get('key');
  if (!m || !key || key.length > 4096) return null;
  const stretchParam = search.get('stretch');
  const stretch = stretchParam === 'db' ? 'db' : stretchParam === 'linear' ? 'linear' : undefined;
  const owner = Number(m[2]);
  return m[1] === 'sample'
    ? { kind: 'sample', datasetId: owner, key, stretch }
    : { kind: 'classified', classificationId: owner, key, stretch };
}
