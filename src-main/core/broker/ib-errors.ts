// IB's message codes (TWS API "Message Codes") mapped to what they mean for this app: a kind the adapter acts on,
// a severity for the log/alert, a scope (which part of the adapter owns it) and one sentence for the trader.
// Codes not listed are kept as 'unknown' errors with the broker's own text, never dropped.

export type IbScope = 'connection' | 'order' | 'market-data' | 'historical' | 'contract' | 'system';
export type IbSeverity = 'info' | 'warning' | 'error';

export interface IbCodeInfo {
  code: number;
  kind: string;
  scope: IbScope;
  severity: IbSeverity;
  /** Plain meaning for the trader; the broker's own text is appended by describeIbMessage. */
  meaning: string;
}

type Entry = [kind: string, scope: IbScope, severity: IbSeverity, meaning: string];

const CODES: Record<number, Entry> = {
  100: ['rate-limit', 'system', 'error', 'too many messages sent to IB per second'],
  103: ['duplicate-order-id', 'order', 'error', 'order rejected: the order id was already used'],
  104: ['modify-filled-order', 'order', 'error', 'a filled order cannot be changed'],
  105: ['modify-mismatch', 'order', 'error', 'the change does not match the original order'],
  110: ['price-off-tick', 'order', 'error', 'order rejected: the price is not a multiple of the tick size'],
  135: ['order-not-found', 'order', 'error', 'IB cannot find this order id'],
  161: ['cancel-not-allowed', 'order', 'warning', 'the order is not in a state that can be cancelled'],
  162: ['historical-error', 'historical', 'error', 'the historical data request failed'],
  165: ['historical-info', 'historical', 'info', 'historical data service notice'],
  200: ['no-security-definition', 'contract', 'error', 'IB has no contract matching the request'],
  201: ['order-rejected', 'order', 'error', 'order rejected by IB'],
  202: ['order-cancelled', 'order', 'info', 'order cancelled'],
  300: ['unknown-ticker', 'market-data', 'warning', 'IB does not know this market data request'],
  321: ['invalid-request', 'system', 'error', 'IB rejected a request as invalid'],
  322: ['duplicate-request-id', 'system', 'error', 'IB rejected a request with an id already in use'],
  326: ['client-id-in-use', 'connection', 'error', 'the client id is already in use at the gateway'],
  354: ['market-data-not-subscribed', 'market-data', 'error', 'the account has no market data subscription for this contract'],
  366: ['historical-unknown', 'historical', 'warning', 'IB has no historical request with this id'],
  399: ['order-warning', 'order', 'warning', 'order warning from IB'],
  420: ['realtime-pacing', 'market-data', 'error', 'real-time bar request refused (pacing or permissions)'],
  434: ['order-size-zero', 'order', 'error', 'order rejected: the quantity cannot be zero'],
  501: ['already-connected', 'connection', 'warning', 'already connected'],
  502: ['connect-failed', 'connection', 'error', 'could not connect to IB Gateway/TWS (is it running, with the API port enabled?)'],
  504: ['not-connected', 'connection', 'error', 'not connected to IB Gateway/TWS'],
  507: ['bad-message-length', 'connection', 'error', 'the connection sent a malformed message'],
  1100: ['connectivity-lost', 'connection', 'error', 'the gateway lost its connection to IB'],
  1101: ['connectivity-restored-data-lost', 'connection', 'warning', 'connection to IB restored; market data subscriptions were lost and are renewed'],
  1102: ['connectivity-restored-data-kept', 'connection', 'info', 'connection to IB restored; market data kept'],
  1300: ['socket-port-reset', 'connection', 'error', 'the gateway changed its API port; reconnect on the new port'],
  2100: ['account-updates-unsubscribed', 'system', 'info', 'account updates stopped'],
  2103: ['market-data-farm-broken', 'market-data', 'warning', 'a market data farm connection is broken'],
  2104: ['market-data-farm-ok', 'market-data', 'info', 'market data farm connection is OK'],
  2105: ['historical-farm-broken', 'historical', 'warning', 'the historical data farm connection is broken'],
  2106: ['historical-farm-ok', 'historical', 'info', 'historical data farm connection is OK'],
  2107: ['historical-farm-inactive', 'historical', 'info', 'historical data farm is inactive but available on demand'],
  2108: ['market-data-farm-inactive', 'market-data', 'info', 'market data farm is inactive but available on demand'],
  2110: ['gateway-server-link-broken', 'connection', 'warning', 'the connection between the gateway and IB servers is broken'],
  2119: ['market-data-farm-connecting', 'market-data', 'info', 'market data farm is connecting'],
  2157: ['secdef-farm-broken', 'contract', 'warning', 'the security definition server connection is broken'],
  2158: ['secdef-farm-ok', 'contract', 'info', 'security definition server connection is OK'],
  10089: ['market-data-needs-subscription', 'market-data', 'error', 'market data needs an additional subscription'],
  10147: ['cancel-unknown-order', 'order', 'warning', 'cancel refused: IB does not know this order id (already gone?)'],
  10148: ['cancel-filled-order', 'order', 'warning', 'cancel refused: the order is already filled'],
  10149: ['cancel-invalid-order-id', 'order', 'warning', 'cancel refused: invalid order id'],
  10197: ['competing-live-session', 'market-data', 'error', 'no market data: another session of this user is receiving it'],
};

export function classifyIbCode(code: number): IbCodeInfo {
  const e = CODES[code];
  if (e !== undefined) return { code, kind: e[0], scope: e[1], severity: e[2], meaning: e[3] };
  if (code >= 2100 && code < 2200) return { code, kind: 'system-notice', scope: 'system', severity: 'info', meaning: 'notice from IB' };
  return { code, kind: 'unknown', scope: 'system', severity: 'error', meaning: `IB message ${code}` };
}

/** Refines by the broker's text where one code covers several cases (162 = pacing or no data or cancelled). */
export function classifyIbMessage(code: number, text: string): IbCodeInfo {
  const info = classifyIbCode(code);
  if (code === 162) {
    if (/pacing/i.test(text)) return { ...info, kind: 'pacing', meaning: 'historical data pacing violation: too many requests' };
    if (/no data/i.test(text)) return { ...info, kind: 'historical-no-data', severity: 'warning', meaning: 'IB has no historical data for this request' };
    if (/cancel/i.test(text)) return { ...info, kind: 'historical-cancelled', severity: 'info', meaning: 'historical data request cancelled' };
  }
  return info;
}

/** "order rejected by IB (IB 201: Order rejected - reason: margin)". */
export function describeIbMessage(code: number, text: string): { info: IbCodeInfo; message: string } {
  const info = classifyIbMessage(code, text);
  const t = text.trim();
  return { info, message: t.length > 0 ? `${info.meaning} (IB ${code}: ${t})` : `${info.meaning} (IB ${code})` };
}

export const CONNECTIVITY_LOST = 1100;
export const RESTORED_DATA_LOST = 1101;
export const RESTORED_DATA_KEPT = 1102;
export const CLIENT_ID_IN_USE = 326;
