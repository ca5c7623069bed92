/** Electron main entry: hands the real app service to the shell. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAppService } from '../main/api/service.js';
import { startDesktopApp } from './app-shell.js';

const shell = startDesktopApp({ createAppService, mainDir: path.dirname(fileURLToPath(import.meta.url)) });
// Startup failures are shown in a dialog by the shell; keep them from also surfacing as unhandled.
shell.ready.catch(() => undefined);
