// The headless shell over real HTTP and a real WebSocket: token required, no state change over HTTP, the
// contract answered over the socket, events pushed, foreign origins refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerFrame } from '../../src-preload/contract';
import { createCore, type Core } from '../core/api';
import { startHeadless, type HeadlessServer } from './server';

const TOKEN = 'test-token-0123456789abcdef';
let core: Core;
let server: HeadlessServer;
const fired: (() => void)[] = [];

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'qs-renderer-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>qs</title>');
  fired.length = 0;
  core = createCore({
    shell: 'headless',
    version: '0.0.0-test',
    feed: { historyBars: 40 },
    timers: { setInterval: (f: () => void) => (fired.push(f), 1), clearInterval: () => undefined },
  });
  server = await startHeadless({ core, rendererDir: dir, host: '127.0.0.1', port: 0, token: TOKEN });
});

afterEach(async () => {
  await server.close();
});

function openWs(headers: Record<string, string> = {}, query = `?token=${TOKEN}`): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket, pred: (f: WsServerFrame) => boolean): Promise<WsServerFrame> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData): void => {
      const f = JSON.parse(data.toString()) as WsServerFrame;
      if (pred(f)) {
        ws.off('message', on);
        resolve(f);
      }
    };
    ws.on('message', on);
  });
}

describe('headless shell', () => {
  it('answers 401 without the token and serves the UI with it', async () => {
    expect((await fetch(server.url)).status).toBe(401);
    expect((await fetch(server.url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const ok = await fetch(server.url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    const viaQuery = await fetch(`${server.url}?token=${TOKEN}`, { redirect: 'manual' });
    expect(viaQuery.status).toBe(302);
    expect(viaQuery.headers.get('set-cookie')).toContain('HttpOnly');
    const viaCookie = await fetch(server.url, { headers: { cookie: `qs_token=${TOKEN}` } });
    expect(viaCookie.status).toBe(200);
  });

  it('changes no state over HTTP and never serves files outside the UI', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const r = await fetch(server.url, { method, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(405);
    }
    const traversal = await fetch(`${server.url}..%2f..%2fetc%2fpasswd`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(traversal.status).toBe(404);
  });

  it('refuses a WebSocket without the token or from a foreign origin', async () => {
    await expect(openWs({}, '')).rejects.toThrow(/401/);
    await expect(openWs({ origin: 'https://evil.example' })).rejects.toThrow(/401/);
    const ok = await openWs({ origin: `http://127.0.0.1:${server.port}` });
    ok.close();
  });

  it('answers the contract and pushes bars', async () => {
    const ws = await openWs();
    const reply = nextFrame(ws, (f) => f.type === 'response' && f.id === 7);
    ws.send(JSON.stringify({ type: 'request', id: 7, channel: 'market:snapshot', payload: { limit: 5 } }));
    const r = await reply;
    expect(r.type === 'response' && r.envelope.ok && (r.envelope.value as { bars: unknown[] }).bars.length).toBe(5);

    const bad = nextFrame(ws, (f) => f.type === 'response' && f.id === 8);
    ws.send(JSON.stringify({ type: 'request', id: 8, channel: 'market:snapshot', payload: { limit: -1 } }));
    expect(await bad).toMatchObject({ envelope: { ok: false, error: { code: 'bad_request' } } });

    const garbage = nextFrame(ws, (f) => f.type === 'response' && f.id === -1);
    ws.send('{not json');
    expect(await garbage).toMatchObject({ envelope: { ok: false } });

    const bar = nextFrame(ws, (f) => f.type === 'event' && f.event === 'market:bar');
    core.start();
    fired[0]?.();
    const ev = await bar;
    expect(ev.type === 'event' && (ev.payload as { symbol: string }).symbol).toBe('MES');
    ws.close();
  });
});
