// A resolved MES contract for unit tests (the values IB reports for MESZ6).
import type { ContractRef } from './port';

export const MESZ6: ContractRef = {
  conId: 730283085,
  symbol: 'MES',
  localSymbol: 'MESZ6',
  secType: 'FUT',
  exchange: 'CME',
  currency: 'USD',
  tradingClass: 'MES',
  contractMonth: '202612',
  lastTradeDate: '20261218',
  rollDate: '20261210',
  multiplier: 5,
  minTick: 0.25,
};
