/**
 * Browser mode: the built renderer, chip images and the app API over a WebSocket, on 127.0.0.1
 * only, guarded by a random per-start token. Behaves exactly like the desktop app because it is
 * the same AppService behind a different transport.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, EVENT_NAMES, isOperationName } from './api/contract.js';
import { CHIP_HTTP_PREFIX, WS_PATH, parseChipPath, type CallMessage, type ServerMessage } from './api/protocol.js';
import type { AppService } from './api/service-types.js';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../out/renderer', import.meta.url));

export interface ServeOptions {
  port?: number;
  /** Directory of the built renderer (index.html + assets). */
  rendererDir?: string;
  /** Fixed token (tests); default: 32 random bytes per start. */
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
};

function tokensEqual(a: string | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startServer(service: AppService, options: ServeOptions = {}): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir ?? DEFAULT_RENDERER_DIR);
  let port = 0;

  const allowedHost = (host: string | undefined) => host === `127.0.0.1:${port}` || host === `localhost:${port}`;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type = 'text/plain; charset=utf-8') => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
    res.end(body);
  };

  const serveStatic = (res: ServerResponse, pathname: string) => {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep)) return send(res, 403, 'Forbidden');
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (rel === 'index.html') return send(res, 500, 'The renderer is not built. Run: npm run build:renderer');
      return send(res, 404, 'Not found');
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  };

  const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHost(req.headers.host)) return send(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith(CHIP_HTTP_PREFIX)) {
      if (!tokensEqual(url.searchParams.get('token'), token)) return send(res, 401, 'Missing or wrong token');
      const ref = parseChipPath(url.pathname.slice(CHIP_HTTP_PREFIX.length), url.searchParams);
      if (!ref) return send(res, 400, 'Malformed chip path');
      try {
        return send(res, 200, await service.chipImage(ref), 'image/png');
      } catch (err) {
        return send(res, err instanceof ApiError && err.code === 'notFound' ? 404 : 500, (err as Error).message);
      }
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokensEqual(url.searchParams.get('token'), token)) return send(res, 401, 'Open the URL printed by `aura-kd serve` (it carries the access token).');
    }
    return serveStatic(res, url.pathname);
  };

  const http: Server = createServer((req, res) => {
    handleHttp(req, res).catch((err) => send(res, 500, (err as Error).message));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
    if (url.pathname !== WS_PATH || !allowedHost(req.headers.host) || !originOk || !tokensEqual(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws));
  });

  const attachClient = (ws: WebSocket) => {
    const push = (msg: ServerMessage) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
    };
    const unsubscribers = EVENT_NAMES.map((event) => service.on(event, (payload) => push({ type: 'event', event, payload })));
    ws.on('close', () => unsubscribers.forEach((u) => u()));
    ws.on('message', async (data) => {
      let msg: CallMessage;
      try {
        msg = JSON.parse(String(data)) as CallMessage;
      } catch {
        return push({ type: 'result', id: -1, ok: false, error: { code: 'invalid', message: 'Message is not JSON' } });
      }
      const id = typeof msg?.id === 'number' ? msg.id : -1;
      if (msg?.type !== 'call' || !isOperationName(msg.op)) {
        return push({ type: 'result', id, ok: false, error: { code: 'unknownOperation', message: `Unknown operation: ${String(msg?.op)}` } });
      }
      try {
        const value = await service.call(msg.op, msg.input);
        push({ type: 'result', id, ok: true, value });
      } catch (err) {
        const code = err instanceof ApiError ? err.code : 'failed';
        push({ type: 'result', id, ok: false, error: { code, message: (err as Error).message } });
      }
    });
  };

  await new Promise<void>((resolvePromise, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (http.address() as AddressInfo).port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      http.closeAllConnections();
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
