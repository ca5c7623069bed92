import { describe, expect, it } from 'vitest';
import { browserChipUrl, createWsClient, wsUrl } from '../../../renderer/src/api/wsClient.js';
import type { SocketLike } from '../../../renderer/src/api/wsClient.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({});
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const client = createWsClient({
    host: '127.0.0.1:9000',
    token: 't k',
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
  });
  return { client, sockets, timers };
}

describe('wsClient', () => {
  it('builds the socket and chip URLs with the token', () => {
    expect(wsUrl('127.0.0.1:9000', 't k')).toBe('ws://127.0.0.1:9000/api?token=t%20k');
    expect(browserChipUrl({ kind: 'sample', datasetId: 3, key: 'T72/a b.png', stretch: 'db' }, 'tok')).toBe('/chips/sample/3?key=T72%2Fa+b.png&stretch=db&token=tok');
    const { sockets } = setup();
    expect(sockets[0].url).toBe('ws://127.0.0.1:9000/api?token=t%20k');
  });

  it('queues calls until open, then matches results to calls by id', async () => {
    const { client, sockets } = setup();
    const states: string[] = [];
    client.onConnection((s) => states.push(s));
    const a = client.call('datasets.list', {});
    const b = client.call('runs.get', { runId: 4 });
    expect(sockets[0].sent).toEqual([]);
    sockets[0].open();
    expect(sockets[0].sent.map((m) => JSON.parse(m))).toEqual([
      { type: 'call', id: 1, op: 'datasets.list', input: {} },
      { type: 'call', id: 2, op: 'runs.get', input: { runId: 4 } },
    ]);
    sockets[0].receive({ type: 'result', id: 2, ok: false, error: { code: 'notFound', message: 'runs.get: run 4 not found' } });
    sockets[0].receive({ type: 'result', id: 1, ok: true, value: [{ id: 1 }] });
    await expect(a).resolves.toEqual([{ id: 1 }]);
    await expect(b).rejects.toMatchObject({ code: 'notFound', message: 'runs.get: run 4 not found' });
    expect(states).toEqual(['connecting', 'open']);
  });

  it('delivers events to subscribers until they unsubscribe', () => {
    const { client, sockets } = setup();
    sockets[0].open();
    const got: unknown[] = [];
    const off = client.on('run', (p) => got.push(p));
    sockets[0].receive({ type: 'event', event: 'run', payload: { runId: 1, status: 'done' } });
    off();
    sockets[0].receive({ type: 'event', event: 'run', payload: { runId: 2, status: 'done' } });
    expect(got).toEqual([{ runId: 1, status: 'done' }]);
  });

  it('fails pending calls on connection loss and reconnects with backoff', async () => {
    const { client, sockets, timers } = setup();
    sockets[0].open();
    const pending = client.call('system.info', {});
    sockets[0].drop();
    await expect(pending).rejects.toThrow('system.info: the connection to the server was lost.');
    expect(timers.map((t) => t.ms)).toEqual([500]);
    timers[0].fn();
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    expect(timers.map((t) => t.ms)).toEqual([500, 1000]);
    timers[1].fn();
    sockets[2].open();
    const later = client.call('jobs.list', {});
    expect(JSON.parse(sockets[2].sent[0])).toMatchObject({ op: 'jobs.list' });
    sockets[2].receive({ type: 'result', id: JSON.parse(sockets[2].sent[0]).id, ok: true, value: [] });
    await expect(later).resolves.toEqual([]);
  });

  it('close() rejects pending calls and stops reconnecting', async () => {
    const { client, sockets, timers } = setup();
    const pending = client.call('system.info', {});
    client.close();
    await expect(pending).rejects.toThrow('system.info: the client was closed.');
    sockets[0].drop();
    expect(timers).toEqual([]);
    await expect(client.call('jobs.list', {})).rejects.toThrow('jobs.list: the client is closed.');
  });
});
