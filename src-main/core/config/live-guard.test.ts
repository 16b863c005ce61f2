import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';
import { mayStartTrading } from './live-guard';
import { saveConfigText } from './save';
import { configSchema } from './schema';

const live = configSchema.parse({ mode: 'live', liveTradingConfirmed: true, ib: { account: 'U7654321', port: 4001 } });

describe('live trading guard', () => {
  it('lets simulation and paper start without a phrase', () => {
    expect(mayStartTrading(configSchema.parse({}), null)).toEqual({ allowed: true });
    expect(mayStartTrading(configSchema.parse({ mode: 'paper', ib: { account: 'DU1' } }), null)).toEqual({ allowed: true });
  });

  it('needs the exact typed phrase naming the account for live', () => {
    expect(mayStartTrading(live, null)).toMatchObject({ allowed: false, reason: expect.stringContaining('LIVE U7654321') });
    expect(mayStartTrading(live, 'live u7654321')).toMatchObject({ allowed: false });
    expect(mayStartTrading(live, 'LIVE DU0000000')).toMatchObject({ allowed: false });
    expect(mayStartTrading(live, 'LIVE U7654321')).toEqual({ allowed: true });
  });
});

describe('loading and saving the config', () => {
  it('uses the defaults when there is no file, refuses an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-cfg-'));
    expect(loadConfig(dir).config.mode).toBe('simulation');
    writeFileSync(join(dir, 'config.yaml'), 'risk: { stopUsd: 900 }\n');
    expect(() => loadConfig(dir)).toThrow(ConfigError);
    expect(() => loadConfig(dir)).toThrow(/risk\.stopUsd/);
  });

  it('never overwrites a working file with an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-cfg-'));
    expect(saveConfigText(dir, 'risk: { quantity: 2 }\n').errors).toEqual([]);
    const r = saveConfigText(dir, 'risk: { quantity: "two" }\n');
    expect(r.errors[0]?.path).toBe('risk.quantity');
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toBe('risk: { quantity: 2 }\n');
    expect(loadConfig(dir).config.risk.quantity).toBe(2);
  });
});
