// The sim-gateway CLI command, registered on a fresh program (the lead wires it into the command list).
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { register } from '../cli/commands/sim-gateway';
import { CliError } from '../cli/io';
import { parseFault } from './faults';

function program(): Command {
  const p = new Command().exitOverride();
  register(p);
  return p;
}

afterEach(() => vi.restoreAllMocks());

describe('quant-scalper sim-gateway', () => {
  it('rejects bad options with clear CLI errors', async () => {
    await expect(program().parseAsync(['sim-gateway', '--regime', 'moon'], { from: 'user' })).rejects.toThrow(CliError);
    await expect(program().parseAsync(['sim-gateway', '--faults', 'partial-fills,gremlins'], { from: 'user' })).rejects.toThrow(/unknown fault "gremlins"/);
    await expect(program().parseAsync(['sim-gateway', '--speed', '0'], { from: 'user' })).rejects.toThrow(/--speed/);
    await expect(program().parseAsync(['sim-gateway', '--faults', 'delay-acks'], { from: 'user' })).rejects.toThrow(/needs milliseconds/);
  });

  it('accepts fault names in kebab, camel or snake case', () => {
    expect(parseFault('partialFills').name).toBe('partial-fills');
    expect(parseFault('resend_executions').name).toBe('resend-executions-on-reconnect');
    expect(parseFault('delay-acks=250')).toEqual({ name: 'delay-acks', value: '250' });
  });

  it('prints its listening line and stops cleanly on SIGINT', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      lines.push(String(s));
      return true;
    });
    const before = new Set(process.listeners('SIGINT'));
    const run = program().parseAsync(['sim-gateway', '--port', '0', '--speed', '50', '--seed', '3', '--faults', 'partial-fills'], { from: 'user' });
    for (let i = 0; i < 200 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines[0]).toMatch(/^Simulated IB Gateway listening on 127\.0\.0\.1:\d+ \(server version 193, account DU123456, MES, seed 3, speed 50x\)\n$/);
    const stop = process.listeners('SIGINT').find((l) => !before.has(l));
    expect(stop).toBeDefined();
    stop?.('SIGINT');
    await run;
  });
});
