/**
 * IPC between the window and the app service: one 'api:<op>' invoke channel per operation, each
 * guarded (sender must be the main window's top frame showing the app) and schema-checked before
 * the service sees it; service events forwarded as 'event:<name>'; the native folder picker.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { ApiError, EVENT_NAMES, OPERATION_NAMES, parseRequest, type OperationName } from '../main/api/contract.js';
import type { AppService } from '../main/api/service-types.js';
import { apiChannel, eventChannel, OPEN_FOLDER_CHANNEL } from './channels.js';
import type { IpcResult } from './preload-api.js';
import { senderRejection, type SenderFacts, type TrustPolicy } from './security-policy.js';

export interface IpcDeps {
  service: Pick<AppService, 'call'>;
  policy: TrustPolicy;
  /** webContents id of the main window, or null while there is none. */
  mainWebContentsId: () => number | null;
  /** Shows the native folder dialog over the main window. */
  openFolder: () => Promise<string | null>;
}

export function senderFacts(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): SenderFacts {
  const frame = event.senderFrame;
  return { webContentsId: event.sender.id, frameUrl: frame ? frame.url : null, isMainFrame: frame ? frame.parent === null : false };
}

/** Throws when the caller is not the app's own main window. */
export function assertTrustedSender(facts: SenderFacts, deps: Pick<IpcDeps, 'policy' | 'mainWebContentsId'>, channel: string): void {
  const reason = senderRejection(facts, deps.mainWebContentsId(), deps.policy);
  if (reason) throw new Error(`Blocked IPC on ${channel}: ${reason}`);
}

export function serialiseError(error: unknown): { code: ApiError['code']; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
}

/** The body of an 'api:<op>' handler, free of Electron objects. */
export async function handleApiCall(op: OperationName, facts: SenderFacts, input: unknown, deps: IpcDeps): Promise<IpcResult> {
  assertTrustedSender(facts, deps, apiChannel(op));
  try {
    const request = parseRequest(op, input);
    return { ok: true, value: await deps.service.call(op, request) };
  } catch (error) {
    return { ok: false, error: serialiseError(error) };
  }
}

/** Registers every channel; returns a function that removes them again. */
export function registerIpcHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: IpcDeps): () => void {
  const channels: string[] = [];
  for (const op of OPERATION_NAMES) {
    const channel = apiChannel(op);
    ipcMain.handle(channel, (event, input: unknown) => handleApiCall(op, senderFacts(event), input, deps));
    channels.push(channel);
  }
  ipcMain.handle(OPEN_FOLDER_CHANNEL, async (event) => {
    assertTrustedSender(senderFacts(event), deps, OPEN_FOLDER_CHANNEL);
    return deps.openFolder();
  });
  channels.push(OPEN_FOLDER_CHANNEL);
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Pushes every service event to the current main window; returns the unsubscribe function. */
export function forwardServiceEvents(service: Pick<AppService, 'on'>, target: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  const unsubscribers = EVENT_NAMES.map((name) =>
    service.on(name, (payload) => {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(eventChannel(name), payload);
    }),
  );
  return () => {
    for (const off of unsubscribers) off();
  };
}
