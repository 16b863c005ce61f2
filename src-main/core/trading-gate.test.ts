import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config/schema';
import { AuditRepo } from './store/audit-repo';
import { openDatabase } from './store/db';
import { TradingGate } from './trading-gate';

const audit = () => new AuditRepo(openDatabase(join(mkdtempSync(join(tmpdir(), 'qs-gate-')), 'qs.db')));

describe('trading gate', () => {
  it('arms LIVE only with the exact phrase and audits every attempt', () => {
    const a = audit();
    const gate = new TradingGate(configSchema.parse({ mode: 'live', liveTradingConfirmed: true, ib: { account: 'U7654321' } }), [], a, 'web');
    expect(gate.status()).toMatchObject({ configuredMode: 'live', canTrade: false, armed: false, confirmationPhrase: 'LIVE U7654321' });
    expect(gate.armLive('LIVE U0000000').accepted).toBe(false);
    expect(gate.armLive('LIVE U7654321').accepted).toBe(true);
    expect(gate.status()).toMatchObject({ canTrade: true, armed: true, reason: null });
    const messages = a.recent(10).map((e) => e.message);
    expect(messages[0]).toMatch(/^LIVE trading armed for account U7\*\*\*/);
    expect(messages[1]).toMatch(/^LIVE arming refused/);
  });

  it('refuses to trade with an invalid config or a broken database, and arming cannot bypass it', () => {
    const gate = new TradingGate(null, ['config risk.stopUsd: too large'], null, 'web');
    expect(gate.status()).toMatchObject({ canTrade: false, reason: 'config risk.stopUsd: too large' });
    expect(gate.armLive('LIVE U1').accepted).toBe(false);
    const paper = new TradingGate(configSchema.parse({ mode: 'paper', ib: { account: 'DU1' } }), [], null, 'web');
    expect(paper.status()).toMatchObject({ canTrade: true, armed: false, confirmationPhrase: null });
    expect(paper.armLive('LIVE DU1')).toMatchObject({ accepted: false, message: expect.stringContaining('paper mode') });
  });
});
