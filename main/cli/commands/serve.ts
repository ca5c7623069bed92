/** aura-kd serve (browser mode) · aura-kd demo (set up the demo dataset and open the app) */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHIP_HTTP_PREFIX } from '../../api/protocol.js';
import { DEFAULT_RENDERER_DIR, startServer } from '../../server.js';
import { openSession } from '../session.js';
import type { Command, CommandContext } from './types.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function ensureRendererBuilt(ctx: CommandContext): void {
  if (existsSync(join(DEFAULT_RENDERER_DIR, 'index.html'))) return;
  if (!ctx.json) process.stderr.write('Building the user interface (first start only)…\n');
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO_ROOT,
    stdio: ctx.json ? 'ignore' : 'inherit',
  });
  if (result.status !== 0) throw new Error('Building the renderer failed (npm run build:renderer shows why)');
}

async function serve(ctx: CommandContext, withDemo: boolean): Promise<number> {
  ensureRendererBuilt(ctx);
  const port = ctx.flags.number('port', { integer: true, min: 0, max: 65535 }) ?? (withDemo ? 5199 : 0);
  let token = '';
  const session = await openSession({ dataDir: ctx.dataDir, chipUrl: (path) => `${CHIP_HTTP_PREFIX}${path}&token=${token}` });
  const server = await startServer(session.service, { port });
  token = server.token;
  if (withDemo) {
    const existing = await session.call('datasets.list', {});
    if (!existing.some((d) => d.name.startsWith('Demo'))) {
      process.stderr.write('Generating and importing the built-in demo dataset…\n');
      await session.waitForJob(await session.call('datasets.importDemo', {}));
    }
  }
  const line = ctx.json ? JSON.stringify({ url: server.url, port: server.port, dataDir: session.service.paths.dataDir }) : `AURA-KD is running at ${server.url}\n(data: ${session.service.paths.dataDir}; Ctrl-C stops)`;
  ctx.out(line);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await session.close();
  return 0;
}

export const serveCommand: Command = {
  usage: 'serve [--port N] [--data-dir DIR] [--json]',
  summary: 'Browser mode: serve the app on 127.0.0.1 with a per-start access token (printed as a URL)',
  run: (ctx) => serve(ctx, false),
};

export const demoCommand: Command = {
  usage: 'demo [--port 5199] [--data-dir DIR]',
  summary: 'Set up the built-in demo dataset and open the app in browser mode',
  run: (ctx) => serve(ctx, true),
};
