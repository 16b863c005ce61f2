// The venue's contract catalog: MES quarterly futures (Mar/Jun/Sep/Dec), each expiring on the third Friday of its
// month. conIds are derived from the contract month so they stay the same across runs and restarts.

export interface VenueContract {
  conId: number;
  symbol: 'MES';
  secType: 'FUT';
  /** Expiry date yyyymmdd (IB's lastTradeDateOrContractMonth for a future). */
  lastTradeDateOrContractMonth: string;
  /** yyyymm */
  contractMonth: string;
  /** yyyymmdd, the third Friday. */
  realExpirationDate: string;
  multiplier: number;
  exchange: 'CME';
  currency: 'USD';
  localSymbol: string;
  tradingClass: 'MES';
  minTick: number;
}

export const MES_MULTIPLIER = 5;
export const MES_TICK = 0.25;
export const MES_LONG_NAME = 'Micro E-Mini S&P 500 Stock Price Index';
/** How many quarterly expiries are listed at once (IB shows the next several). */
export const LISTED_EXPIRIES = 5;
/** Equity index futures stop trading at 08:30 Chicago time on expiry day (13:30 or 14:30 UTC); we use 14:30 UTC. */
const EXPIRY_UTC_HOUR = 14.5;

const MONTH_CODES: Record<number, string> = { 3: 'H', 6: 'M', 9: 'U', 12: 'Z' };

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Third Friday of a month, as a UTC date at midnight. */
export function thirdFriday(year: number, month: number): Date {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const firstFriday = 1 + ((5 - first.getUTCDay() + 7) % 7);
  return new Date(Date.UTC(year, month - 1, firstFriday + 14));
}

export function mesContract(year: number, month: number): VenueContract {
  const code = MONTH_CODES[month];
  if (code === undefined) throw new Error(`MES trades in March, June, September and December only, not month ${month}`);
  const expiry = thirdFriday(year, month);
  const ymd = `${year}${pad2(month)}${pad2(expiry.getUTCDate())}`;
  const yyyymm = `${year}${pad2(month)}`;
  return {
    conId: 790_000_000 + Number(yyyymm) - 200_000,
    symbol: 'MES',
    secType: 'FUT',
    lastTradeDateOrContractMonth: ymd,
    contractMonth: yyyymm,
    realExpirationDate: ymd,
    multiplier: MES_MULTIPLIER,
    exchange: 'CME',
    currency: 'USD',
    localSymbol: `MES${code}${year % 10}`,
    tradingClass: 'MES',
    minTick: MES_TICK,
  };
}

/** The expiries listed at an instant (epoch ms): the next LISTED_EXPIRIES quarterly contracts not yet expired. */
export function listedContracts(nowMs: number, count = LISTED_EXPIRIES): VenueContract[] {
  const now = new Date(nowMs);
  let year = now.getUTCFullYear();
  let month = Math.ceil((now.getUTCMonth() + 1) / 3) * 3;
  const out: VenueContract[] = [];
  while (out.length < count) {
    const lastTrade = thirdFriday(year, month).getTime() + EXPIRY_UTC_HOUR * 3_600_000;
    if (lastTrade > nowMs) out.push(mesContract(year, month));
    month += 3;
    if (month > 12) {
      month -= 12;
      year += 1;
    }
  }
  return out;
}

/** What a client asked for in a contract request (only the fields that select an MES future). */
export interface ContractQuery {
  conId: number;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  exchange: string;
  currency: string;
  localSymbol: string;
}

/** Contracts matching a query among those listed now; an empty month matches every listed expiry. */
export function matchContracts(q: ContractQuery, nowMs: number): VenueContract[] {
  const listed = listedContracts(nowMs);
  if (q.conId > 0) return listed.filter((c) => c.conId === q.conId);
  const sym = q.symbol.trim().toUpperCase();
  const local = q.localSymbol.trim().toUpperCase();
  if (sym !== '' && sym !== 'MES') return [];
  if (sym === '' && local === '') return [];
  if (q.secType !== '' && q.secType.toUpperCase() !== 'FUT') return [];
  if (!['', 'CME', 'GLOBEX', 'SMART'].includes(q.exchange.toUpperCase())) return [];
  if (q.currency !== '' && q.currency.toUpperCase() !== 'USD') return [];
  const month = q.lastTradeDateOrContractMonth.trim();
  return listed.filter(
    (c) =>
      (local === '' || c.localSymbol === local) &&
      (month === '' || (month.length === 6 ? c.contractMonth === month : c.lastTradeDateOrContractMonth === month)),
  );
}

/** CME Globex hours for MES in IB's tradingHours format, Chicago dates, for the 7 days from an instant. */
export function tradingHours(nowMs: number): string {
  const parts: string[] = [];
  for (let d = 0; d < 7; d++) {
    const day = new Date(nowMs + d * 86_400_000);
    const ymd = `${day.getUTCFullYear()}${pad2(day.getUTCMonth() + 1)}${pad2(day.getUTCDate())}`;
    const dow = day.getUTCDay();
    if (dow === 6) parts.push(`${ymd}:CLOSED`);
    else {
      const prev = new Date(day.getTime() - 86_400_000);
      const prevYmd = `${prev.getUTCFullYear()}${pad2(prev.getUTCMonth() + 1)}${pad2(prev.getUTCDate())}`;
      if (dow === 0) parts.push(`${ymd}:CLOSED`);
      else parts.push(`${prevYmd}:1700-${ymd}:1600`);
    }
  }
  return parts.join(';');
}
