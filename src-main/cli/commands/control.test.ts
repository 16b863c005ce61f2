// The control commands against a real running app: a core trading its own simulated gateway, behind the real
// headless server (HTTP + WebSocket with the access token).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../core/api';
import { startHeadless, type HeadlessServer } from '../../headless/server';
import { runCli } from '../program';

const token = 'control-test-token-0123456789';
let core: Core;
let server: HeadlessServer;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  try {
    const code = await runCli(args, (s) => err.push(s));
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    spy.mockRestore();
  }
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'qs-control-'));
  writeFileSync(join(dataDir, 'config.yaml'), 'simulation: { speed: 120 }\n');
  core = createCore({ shell: 'headless', version: 'test', dataDir });
  server = await startHeadless({ core, rendererDir: dataDir, host: '127.0.0.1', port: 0, token });
  core.start();
  const t0 = Date.now();
  while (!(await core.handlers['trading:status']({})).running || (await core.handlers['trading:status']({})).state.phase !== 'active') {
    if (Date.now() - t0 > 20_000) throw new Error('trading did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 30_000);

afterAll(async () => {
  await core.stop();
  await server.close();
});

describe('quant-scalper status / pause / resume / flatten', () => {
  it('reads the status and drives pause, resume and the kill switch of the running app', async () => {
    const url = server.url;
    const status = await cli(['status', '--url', url, '--token', token]);
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/State:\s+ACTIVE/);
    expect(status.out).toContain('Connected to IB Gateway at 127.0.0.1');

    expect((await cli(['pause', '--url', url, '--token', token])).out).toMatch(/^OK: Paused/);
    expect((await core.handlers['trading:status']({})).state.phase).toBe('paused');
    expect((await cli(['resume', '--url', url, '--token', token])).out).toMatch(/^OK: Resumed/);

    const unconfirmed = await cli(['flatten', '--url', url, '--token', token]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.err).toContain('add --yes');
    expect((await core.handlers['trading:status']({})).state.phase).toBe('active');

    const flat = await cli(['flatten', '--yes', '--json', '--url', url, '--token', token]);
    expect(flat.code).toBe(0);
    expect(JSON.parse(flat.out)).toMatchObject({ accepted: true });
    expect((await core.handlers['trading:status']({})).state.phase).toBe('halted');
  }, 30_000);

  it('names the problem when the token is wrong or the app is not running', async () => {
    const bad = await cli(['status', '--url', server.url, '--token', 'wrong-token-0123456789']);
    expect(bad.code).toBe(4);
    expect(bad.err).toContain('401');
    const none = await cli(['status', '--url', 'http://127.0.0.1:9', '--token', token]);
    expect(none.code).toBe(4);
    expect(none.err).toContain('Is `quant-scalper serve` running?');
  });
});
