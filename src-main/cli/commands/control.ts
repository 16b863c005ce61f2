// Control a running app from a shell: `quant-scalper status|flatten|pause|resume|adopt`. They talk to a running
// `quant-scalper serve` over its WebSocket API with the access token, exactly as the web UI does, so every
// command goes through the same validation, guards and audit log.
import type { Command } from 'commander';
import WebSocket from 'ws';
import type { CommandResultDTO, RequestChannel, TradingStatusDTO, WsServerFrame } from '../../../src-preload/contract';
import { CliError } from '../io';

interface ControlOptions {
  url: string;
  token?: string;
  yes?: boolean;
  json?: boolean;
}

/** Exit code when the app refused the command (e.g. flatten while disconnected). */
export const REFUSED_EXIT = 3;

async function request<T>(o: ControlOptions, channel: RequestChannel, payload: unknown): Promise<T> {
  const token = o.token ?? process.env.QS_TOKEN;
  if (token === undefined || token === '') throw new CliError('the access token is needed: pass --token or set QS_TOKEN (it is printed by `quant-scalper serve`)');
  let base: URL;
  try {
    base = new URL(o.url);
  } catch {
    throw new CliError(`--url must be the address printed by \`quant-scalper serve\`, e.g. http://127.0.0.1:8787, got "${o.url}"`);
  }
  const wsUrl = `${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/ws`;
  return new Promise<T>((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${token}` } });
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new CliError(`no answer from ${base.host} within 30 s`, 4));
    }, 30_000);
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new CliError(res.statusCode === 401 ? 'the access token was refused (401)' : `the app answered HTTP ${res.statusCode}`, 4));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(new CliError(`cannot reach the app at ${base.host}: ${err.message}. Is \`quant-scalper serve\` running?`, 4));
    });
    ws.on('open', () => ws.send(JSON.stringify({ type: 'request', id: 1, channel, payload })));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as WsServerFrame;
      if (frame.type !== 'response' || frame.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      if (frame.envelope.ok) resolve(frame.envelope.value as T);
      else reject(new CliError(`${channel}: ${frame.envelope.error.message}`));
    });
  });
}

function printResult(r: CommandResultDTO, json: boolean | undefined): void {
  process.stdout.write(json ? `${JSON.stringify(r)}\n` : `${r.accepted ? 'OK' : 'REFUSED'}: ${r.message}\n`);
  if (!r.accepted) process.exitCode = REFUSED_EXIT;
}

function describeStatus(s: TradingStatusDTO): string {
  const pos = s.position ? `${s.position.side} ${s.position.qty} @ ${s.position.entryPrice.toFixed(2)} (stop ${s.position.stop.toFixed(2)}, target ${s.position.target.toFixed(2)})` : s.pnl.position !== 0 ? `${s.pnl.position} contracts` : 'flat';
  const usd = (x: number) => `${x < 0 ? '-' : ''}$${Math.abs(x).toFixed(2)}`;
  return [
    `Mode:       ${s.mode.toUpperCase()}${s.running ? '' : ` (not trading: ${s.notRunningReason ?? ''})`}`,
    `State:      ${s.state.phase.toUpperCase()} - ${s.state.message}`,
    `Broker:     ${s.connection.detail}`,
    `Position:   ${s.contract ?? 'MES'} ${pos}`,
    `P&L today:  net ${usd(s.pnl.netUsd)} (realized ${usd(s.pnl.realizedUsd)}, unrealized ${usd(s.pnl.unrealizedUsd)}, fees ${usd(s.pnl.commissionsUsd)})`,
    `Latency:    bar -> order p50 ${s.latency.p50Ms?.toFixed(1) ?? '-'} ms, p99 ${s.latency.p99Ms?.toFixed(1) ?? '-'} ms`,
    ...s.mismatches.map((m) => `Mismatch:   ${m}`),
  ].join('\n');
}

export function register(program: Command): void {
  const withTarget = (c: Command) =>
    c
      .option('--url <url>', 'address of the running app (printed by `quant-scalper serve`)', 'http://127.0.0.1:8787')
      .option('--token <token>', 'access token (default: QS_TOKEN)')
      .option('--json', 'print JSON');

  withTarget(program.command('status').description('Show the running app: trading state, broker connection, position, P&L today')).action(async (o: ControlOptions) => {
    const s = await request<TradingStatusDTO>(o, 'trading:status', {});
    process.stdout.write(o.json ? `${JSON.stringify(s)}\n` : `${describeStatus(s)}\n`);
  });

  withTarget(program.command('flatten').description('Kill switch: cancel every working order, close the position at market, HALT until resumed'))
    .option('--yes', 'confirm: flatten now')
    .action(async (o: ControlOptions) => {
      if (!o.yes) throw new CliError('flatten closes the position at market and halts trading: add --yes to confirm');
      printResult(await request<CommandResultDTO>(o, 'trading:flatten', { confirm: true }), o.json);
    });

  withTarget(program.command('pause').description('No new entries; exits and brackets keep working')).action(async (o: ControlOptions) => {
    printResult(await request<CommandResultDTO>(o, 'trading:pause', {}), o.json);
  });

  withTarget(program.command('resume').description('Allow new entries again after a pause or a halt')).action(async (o: ControlOptions) => {
    printResult(await request<CommandResultDTO>(o, 'trading:resume', {}), o.json);
  });

  withTarget(program.command('adopt').description("After a startup mismatch: take the broker's position over as the app's own"))
    .option('--yes', 'confirm: adopt the position')
    .action(async (o: ControlOptions) => {
      if (!o.yes) throw new CliError('adopt makes the app manage a position it did not open: add --yes to confirm');
      printResult(await request<CommandResultDTO>(o, 'trading:adopt', { confirm: true }), o.json);
    });
}
