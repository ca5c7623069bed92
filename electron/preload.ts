/**
 * Preload (sandboxed, bundled to CJS; only 'electron' is required at run time, so it imports
 * types from the contract but no runtime code that needs npm packages). Exposes
 * `window.aura` (see preload-api.ts): an allowlist of API operations and events, nothing else.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ChipRef, OperationName } from '../main/api/contract.js';
import { CHIP_SCHEME, chipPath } from '../main/api/protocol.js';
import { BRIDGE_EVENT_NAMES, BRIDGE_OPERATION_NAMES } from './bridge-names.js';
import { apiChannel, eventChannel, MENU_CHANNEL, OPEN_FOLDER_CHANNEL } from './channels.js';
import { encodeBridgeError, isBridgeEventName, type AuraBridge, type BridgeEventName, type IpcResult } from './preload-api.js';

const allowedOps = new Set<string>(BRIDGE_OPERATION_NAMES);

function channelFor(event: BridgeEventName): string {
  return event === 'menu' ? MENU_CHANNEL : eventChannel(event);
}

export const auraBridge: AuraBridge = {
  async call(op, input) {
    if (typeof op !== 'string' || !allowedOps.has(op)) {
      throw Object.assign(new Error(encodeBridgeError('unknownOperation', `Unknown operation: ${String(op)}`)), { code: 'unknownOperation' });
    }
    const result = (await ipcRenderer.invoke(apiChannel(op as OperationName), input ?? {})) as IpcResult;
    if (result.ok) return result.value as never;
    throw Object.assign(new Error(encodeBridgeError(result.error.code, result.error.message)), { code: result.error.code });
  },
  on(event, listener) {
    if (!isBridgeEventName(event, BRIDGE_EVENT_NAMES)) throw new Error(`Unknown event: ${String(event)}`);
    if (typeof listener !== 'function') throw new Error(`Listener for ${event} must be a function`);
    const channel = channelFor(event);
    // Pass only the payload: the IpcRendererEvent (sender, ports) must not reach the page.
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  chipUrl(ref: ChipRef) {
    return `${CHIP_SCHEME}://${chipPath(ref)}`;
  },
  async pickFolder() {
    const picked: unknown = await ipcRenderer.invoke(OPEN_FOLDER_CHANNEL);
    return typeof picked === 'string' ? picked : null;
  },
};

contextBridge.exposeInMainWorld('aura', auraBridge);
