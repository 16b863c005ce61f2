import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program';
import { packageRoot } from '../paths';
import { defaultConfig } from './schema';
import { exitCodeFor, validateConfigText } from './validate';

const paper = 'mode: paper\nib: { account: DU1234567, port: 4002 }\ntelegram: { enabled: true }\n';

describe('config validation', () => {
  it('the documented example parses and equals the defaults', () => {
    const text = readFileSync(join(packageRoot(), 'config/config.example.yaml'), 'utf8');
    const r = validateConfigText(text);
    expect(r.errors).toEqual([]);
    expect(r.config).toEqual(defaultConfig);
    expect(exitCodeFor(r)).toBe(0);
  });

  it('an empty file is a clean simulation config with the product defaults', () => {
    const r = validateConfigText('');
    expect(r.config?.mode).toBe('simulation');
    expect(r.config?.risk).toMatchObject({ maxPosition: 2, stopUsd: 200, targetUsd: 300, dailyLossLimitUsd: 500, maxDrawdownUsd: 1000, maxHoldMinutes: 120, consecutiveLossesToPause: 3, pauseMinutes: 30 });
    expect(exitCodeFor(r)).toBe(0);
  });

  it.each([
    ['wrong type', 'risk:\n  stopUsd: "two hundred"\n', 'risk.stopUsd', /number/],
    ['unknown key', 'risk:\n  stopUSD: 200\n', 'risk.stopUSD', /unknown key/],
    ['unknown section', 'riks: {}\n', 'riks', /unknown key/],
    ['bad enum', 'mode: demo\n', 'mode', /simulation|paper|live/],
    ['missing account for paper', 'mode: paper\n', 'ib.account', /needs the IB account/],
    ['stop above daily limit', 'risk: { stopUsd: 600, dailyLossLimitUsd: 500 }\n', 'risk.stopUsd', /exceed the daily loss limit/],
    ['live without the flag', 'mode: live\nib: { account: U1234567 }\n', 'liveTradingConfirmed', /liveTradingConfirmed: true/],
    ['exit above entry', 'strategy: { zscore: { entryZ: 1, exitZ: 1.5 } }\n', 'strategy.zscore.exitZ', /below entry/],
    ['a secret in the file', 'telegram: { enabled: true, botToken: "123:abc" }\n', 'telegram.botToken', /secrets never go/],
    ['invalid YAML', 'risk: [unclosed\n', '(yaml)', /.+/],
  ])('%s -> error at its field path, exit 2', (_name, text, path, message) => {
    const r = validateConfigText(text);
    expect(r.config).toBeNull();
    const hit = r.errors.find((e) => e.path === path);
    expect(hit, JSON.stringify(r.errors)).toBeDefined();
    expect(hit?.message).toMatch(message);
    expect(exitCodeFor(r)).toBe(2);
  });

  it.each([
    ['live port with paper mode', paper.replace('4002', '4001'), 'ib.port'],
    ['live account with paper mode', paper.replace('DU1234567', 'U1234567'), 'ib.account'],
    ['target below stop', 'risk: { targetUsd: 150 }\n', 'risk.targetUsd'],
    ['max position above 2', 'risk: { maxPosition: 3 }\n', 'risk.maxPosition'],
    ['daily loss above 2% of the account', 'risk: { accountSizeUsd: 10000 }\n', 'risk.dailyLossLimitUsd'],
    ['unattended without Telegram', paper.replace('enabled: true', 'enabled: false'), 'telegram.enabled'],
    ['LIVE mode', 'mode: live\nliveTradingConfirmed: true\nib: { account: U1234567, port: 4001 }\ntelegram: { enabled: true }\n', 'mode'],
  ])('%s -> warning, exit 1', (_name, text, path) => {
    const r = validateConfigText(text);
    expect(r.errors).toEqual([]);
    expect(r.warnings.map((w) => w.path)).toContain(path);
    expect(exitCodeFor(r)).toBe(1);
  });

  it('a clean paper config has no warnings', () => {
    expect(exitCodeFor(validateConfigText(paper))).toBe(0);
  });
});

describe('quant-scalper validate-config', () => {
  it('prints each problem with its path, exits 0/1/2 and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qs-cfg-'));
    const files = { clean: paper, warn: 'risk: { maxPosition: 3 }\n', bad: 'risk: { stopUsd: -5, maxPositon: 2 }\n' };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, `${name}.yaml`), text);
    const before = readdirSync(dir).sort();
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (lines.push(s), true)) as typeof process.stdout.write;
    try {
      expect(await runCli(['validate-config', join(dir, 'clean.yaml')])).toBe(0);
      expect(await runCli(['validate-config', join(dir, 'warn.yaml')])).toBe(1);
      expect(await runCli(['validate-config', join(dir, 'bad.yaml')])).toBe(2);
    } finally {
      process.stdout.write = write;
    }
    const out = lines.join('');
    expect(out).toMatch(/warning risk\.maxPosition: max position 3 contracts/);
    expect(out).toMatch(/error {3}risk\.stopUsd: /);
    expect(out).toMatch(/error {3}risk\.maxPositon: unknown key/);
    expect(readdirSync(dir).sort()).toEqual(before);
    for (const [name, text] of Object.entries(files)) expect(readFileSync(join(dir, `${name}.yaml`), 'utf8')).toBe(text);
  });
});
