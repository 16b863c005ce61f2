import { describe, expect, it } from 'vitest';
import { classifyIbCode, classifyIbMessage, describeIbMessage } from './ib-errors';

describe('IB message codes', () => {
  it.each([
    [201, 'order-rejected', 'order', 'error'],
    [202, 'order-cancelled', 'order', 'info'],
    [326, 'client-id-in-use', 'connection', 'error'],
    [502, 'connect-failed', 'connection', 'error'],
    [504, 'not-connected', 'connection', 'error'],
    [1100, 'connectivity-lost', 'connection', 'error'],
    [1101, 'connectivity-restored-data-lost', 'connection', 'warning'],
    [1102, 'connectivity-restored-data-kept', 'connection', 'info'],
    [2104, 'market-data-farm-ok', 'market-data', 'info'],
    [2106, 'historical-farm-ok', 'historical', 'info'],
    [2158, 'secdef-farm-ok', 'contract', 'info'],
    [162, 'historical-error', 'historical', 'error'],
    [200, 'no-security-definition', 'contract', 'error'],
    [103, 'duplicate-order-id', 'order', 'error'],
    [10147, 'cancel-unknown-order', 'order', 'warning'],
    [10148, 'cancel-filled-order', 'order', 'warning'],
  ])('%i is %s (%s, %s)', (code, kind, scope, severity) => {
    expect(classifyIbCode(code)).toMatchObject({ code, kind, scope, severity });
  });

  it('tells the three kinds of 162 apart by the broker text', () => {
    expect(classifyIbMessage(162, 'Historical Market Data Service error message:Historical data request pacing violation').kind).toBe('pacing');
    expect(classifyIbMessage(162, 'Historical Market Data Service error message:HMDS query returned no data: MESZ6@CME Trades')).toMatchObject({ kind: 'historical-no-data', severity: 'warning' });
    expect(classifyIbMessage(162, 'Historical Market Data Service error message:API historical data query cancelled: 7').kind).toBe('historical-cancelled');
  });

  it('keeps unknown codes as errors with the broker text, and 21xx as notices', () => {
    expect(describeIbMessage(4242, 'something new')).toEqual({
      info: { code: 4242, kind: 'unknown', scope: 'system', severity: 'error', meaning: 'IB message 4242' },
      message: 'IB message 4242 (IB 4242: something new)',
    });
    expect(classifyIbCode(2150)).toMatchObject({ kind: 'system-notice', severity: 'info' });
  });

  it('writes one sentence with the meaning first and the broker text in brackets', () => {
    expect(describeIbMessage(201, 'Order rejected - reason: insufficient margin').message).toBe(
      'order rejected by IB (IB 201: Order rejected - reason: insufficient margin)',
    );
    expect(describeIbMessage(326, '').message).toBe('the client id is already in use at the gateway (IB 326)');
  });
});
