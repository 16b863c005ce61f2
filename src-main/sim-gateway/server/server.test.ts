// Robustness of the TCP server against raw, non-@stoqey clients.
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimGateway, type SimGateway } from '../index';
import { encodeFrame, splitFields } from '../protocol/framing';
import { RecordingClient, sleep } from '../test-support';

let gw: SimGateway;
beforeEach(async () => {
  gw = await startSimGateway({ port: 0, clock: 'manual' });
});
afterEach(async () => {
  await gw.close();
});

function hello(range: string): Buffer {
  const body = Buffer.from(range, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), len, body]);
}

async function raw(): Promise<{ s: Socket; frames: string[][]; closed: () => boolean }> {
  const s = connect(gw.port, '127.0.0.1');
  await new Promise<void>((r) => s.once('connect', () => r()));
  const frames: string[][] = [];
  let buf = Buffer.alloc(0);
  let closed = false;
  s.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
      const n = buf.readUInt32BE(0);
      frames.push(splitFields(buf.subarray(4, 4 + n)));
      buf = buf.subarray(4 + n);
    }
  });
  s.on('close', () => (closed = true));
  s.on('error', () => undefined);
  return { s, frames, closed: () => closed };
}

describe('server robustness', () => {
  it('answers the handshake with 193 and a Chicago connection time, ignores unknown messages', async () => {
    const c = await raw();
    c.s.write(hello('v100..193'));
    await sleep(50);
    expect(c.frames[0]).toEqual(['193', '20261116 08:30:00 America/Chicago']);
    c.s.write(encodeFrame([71, 2, 9, '']));
    c.s.write(encodeFrame([999, 1, 'whatever']));
    c.s.write(encodeFrame([49, 1]));
    await sleep(50);
    expect(c.frames.map((f) => f[0])).toEqual(['193', '15', '9', '4', '4', '4', '49']);
    expect(c.closed()).toBe(false);
    c.s.destroy();
  });

  it('closes only the socket that sends a malformed frame', async () => {
    const good = new RecordingClient(gw.port, 1).connect();
    await good.waitName('nextValidId');
    const bad = await raw();
    bad.s.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await sleep(50);
    expect(bad.closed()).toBe(true);
    const bad2 = await raw();
    bad2.s.write(hello('v100..193'));
    bad2.s.write(encodeFrame([71, 2, 4, '']));
    bad2.s.write(encodeFrame([3, 1, 2])); // placeOrder far too short
    await sleep(50);
    expect(bad2.closed()).toBe(true);
    good.api.reqCurrentTime();
    await good.waitName('currentTime');
    expect(gw.connectionCount()).toBe(1);
    good.close();
  });

  it('refuses a client that cannot speak 193', async () => {
    const c = await raw();
    c.s.write(hello('v100..176'));
    await sleep(50);
    expect(c.closed()).toBe(true);
  });

  it('realtime clock emits a bar every 5/speed seconds', async () => {
    const fast = await startSimGateway({ port: 0, speed: 100 });
    const c = new RecordingClient(fast.port, 1).connect();
    await c.waitName('nextValidId');
    c.api.reqRealTimeBars(1, { symbol: 'MES', secType: 'FUT' as never, exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '202612' }, 5, 'TRADES', false);
    await sleep(400);
    const n = c.named('realtimeBar').length;
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(9);
    c.close();
    await fast.close();
  });
});
