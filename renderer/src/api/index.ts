/** Picks the transport: the Electron preload bridge when present, else the browser-mode WebSocket. */
import { createBridgeClient } from './bridgeClient.js';
import type { AppClient } from './client.js';
import { resolveToken } from './token.js';
import { createWsClient } from './wsClient.js';

export { api, setApiClient } from './client.js';
export type { AppClient, ConnectionState, MenuCommand } from './client.js';
export { errorMessage } from './errors.js';

export function createApiClient(): AppClient {
  if (window.aura) return createBridgeClient(window.aura);
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    storage = null;
  }
  const token = resolveToken(window.location.search, storage);
  if (!token) throw new Error('No access token: open the address that `aura-kd serve` printed (it ends in ?token=…).');
  return createWsClient({ host: window.location.host, token });
}
