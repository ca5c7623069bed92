/** The one API client of the renderer; views and stores call `api()` and never see the transport. */
import type { ApiClient } from './types.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface AppClient extends ApiClient {
  readonly mode: 'desktop' | 'browser';
  /** Native folder dialog (desktop only); null in browser mode, where paths are typed. */
  readonly pickFolder: (() => Promise<string | null>) | null;
  /** Transport state changes (the desktop bridge is always 'open'). Returns an unsubscribe function. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Commands from the native application menu (desktop only; never fires in browser mode). */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}

export type MenuCommand = { action: 'importFolder' } | { action: 'navigate'; view: 'datasets' | 'runs' | 'compare' | 'models' | 'classify' };

let current: AppClient | null = null;

export function setApiClient(client: AppClient | null): void {
  current = client;
}

export function api(): AppClient {
  if (!current) throw new Error('The API client is not set up yet.');
  return current;
}
