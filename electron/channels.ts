/** IPC channel names shared by the main process (ipc.ts, app-shell.ts) and the preload. */
import type { EventName, OperationName } from '../main/api/contract.js';

/** One invoke channel per API operation: 'api:<op>'. */
export const apiChannel = (op: OperationName): string => `api:${op}`;
/** One push channel per service event: 'event:<name>'. */
export const eventChannel = (event: EventName): string => `event:${event}`;
/** Menu commands pushed to the renderer. */
export const MENU_CHANNEL = 'menu';
/** Native folder picker (invoke; resolves to a path or null). */
export const OPEN_FOLDER_CHANNEL = 'dialog:openFolder';
