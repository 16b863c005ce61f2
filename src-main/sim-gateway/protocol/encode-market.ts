// Market-data and contract messages at server version 193.
import { MES_LONG_NAME, tradingHours, type VenueContract } from '../market/contracts';
import type { Field } from './fields';
import { MSG } from './ids';

export interface BarFields {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** No version field since SIZE_RULES (164); lastTradeDate since 182; ineligibility reasons since 186. */
export function encodeContractData(reqId: number, c: VenueContract, nowSecs: number): Field[] {
  const hours = tradingHours(nowSecs * 1000);
  return [
    MSG.CONTRACT_DATA, reqId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.lastTradeDateOrContractMonth, 0, '',
    c.exchange, c.currency, c.localSymbol,
    c.tradingClass, // marketName
    c.tradingClass, c.conId, c.minTick, c.multiplier,
    'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DEACT,DEACTDIS,DEACTEOD,GAT,GTC,GTD,GTT,HID,ICE,IOC,LIT,LMT,LTH,MIT,MKT,MTL,NGCOMB,NONALGO,OCA,SCALE,SCALERST,SNAPMID,SNAPMKT,SNAPREL,STP,STPLMT,TRAIL,TRAILLIT,TRAILLMT,TRAILMIT,WHATIF',
    'CME,QBALGO',
    1, // priceMagnifier
    0, // underConId
    MES_LONG_NAME, '', // longName, primaryExch
    c.contractMonth, 'Indices', 'Broad Range Equity Index', 'S&P 500', 'US/Central',
    hours, hours, // tradingHours, liquidHours
    '', '', // evRule, evMultiplier
    0, // secIdList count
    2147483647, // aggGroup
    'MES', 'IND', // underSymbol, underSecType
    '67', // marketRuleIds
    c.realExpirationDate,
    '', // stockType
    1, 1, 1, // minSize, sizeIncrement, suggestedSizeIncrement
    0, // ineligibility reasons count
  ];
}

export const encodeContractDataEnd = (reqId: number): Field[] => [MSG.CONTRACT_DATA_END, 1, reqId];

export function encodeRealtimeBar(reqId: number, b: BarFields): Field[] {
  const wap = Math.round(((b.open + b.high + b.low + b.close) / 4) * 100) / 100;
  return [MSG.REAL_TIME_BARS, 3, reqId, b.time, b.open, b.high, b.low, b.close, b.volume, wap, Math.max(1, Math.round(b.volume / 3))];
}

/** tickType 1 bid, 2 ask, 4 last; version 3 carries the size and the attribute mask. */
export const encodeTickPrice = (reqId: number, tickType: number, price: number, size: number): Field[] => [MSG.TICK_PRICE, 3, reqId, tickType, price, size, 0];

/** tickType 8 volume (the others come with tickPrice). */
export const encodeTickSize = (reqId: number, tickType: number, size: number): Field[] => [MSG.TICK_SIZE, 6, reqId, tickType, size];

/** No version field since SYNT_REALTIME_BARS (124); each bar: date, OHLC, volume, WAP, barCount. */
export function encodeHistoricalData(reqId: number, startText: string, endText: string, bars: readonly BarFields[], dateText: (t: number) => string): Field[] {
  const out: Field[] = [MSG.HISTORICAL_DATA, reqId, startText, endText, bars.length];
  for (const b of bars) {
    const wap = Math.round(((b.open + b.high + b.low + b.close) / 4) * 100) / 100;
    out.push(dateText(b.time), b.open, b.high, b.low, b.close, b.volume, wap, Math.max(1, Math.round(b.volume / 3)));
  }
  return out;
}
