/** Browser mode: 127.0.0.1 only, a per-start token for the page, the API socket and chip images. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createAppService } from '../../main/api/service.js';
import type { AppService } from '../../main/api/service-types.js';
import { startServer, type RunningServer } from '../../main/server.js';

let dataDir: string;
let rendererDir: string;
let service: AppService;
let server: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'aura-serve-'));
  rendererDir = mkdtempSync(join(tmpdir(), 'aura-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>AURA-KD</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'console.log(1)');
  service = await createAppService({ dataDir });
  server = await startServer(service, { rendererDir });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(rendererDir, { recursive: true, force: true });
});

function connect(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, op: string, input: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(String(data));
      if (msg.type === 'result' && msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, op, input }));
  });
}

describe('aura-kd serve', () => {
  it('listens on 127.0.0.1 and prints a URL carrying the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a WebSocket client with the token', async () => {
    const ws = await connect(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    expect(await call(ws, 1, 'datasets.list', {})).toEqual({ type: 'result', id: 1, ok: true, value: [] });
    const bad = await call(ws, 2, 'runs.get', { runId: -4 });
    expect(bad.ok).toBe(false);
    expect(bad.error?.code).toBe('invalid');
    const unknown = await call(ws, 3, 'rm.rf', {});
    expect(unknown.error?.code).toBe('unknownOperation');
    ws.close();
  });

  it('refuses a WebSocket client without the token, with a wrong one, or from a foreign origin', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/api`)).rejects.toThrow('HTTP 401');
    await expect(connect(`ws://127.0.0.1:${server.port}/api?token=nope`)).rejects.toThrow('HTTP 401');
    const foreign = new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`, { origin: 'http://evil.example' });
      ws.once('open', () => resolve('open'));
      ws.once('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
    await expect(foreign).rejects.toThrow('HTTP 401');
  });

  it('serves the page only with the token, assets freely, and chips only with the token', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    const page = await fetch(`${base}/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('AURA-KD');
    expect((await fetch(`${base}/app.js`)).status).toBe(200);
    expect((await fetch(`${base}/../../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/chips/sample/1?key=a.png`)).status).toBe(401);
    expect((await fetch(`${base}/chips/sample/1?key=a.png&token=${server.token}`)).status).toBe(404);
    expect((await fetch(`${base}/chips/nonsense?token=${server.token}`)).status).toBe(400);
  });

  it('rejects requests addressed to another host name (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: `/?token=${server.token}`, headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.once('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });
});
