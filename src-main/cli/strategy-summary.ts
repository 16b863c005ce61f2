import { backtestParamsSchema, type BacktestParamsInput } from '../core/native/backtest';
import { usd } from './metrics-summary';

/** The run's strategy rule and risk settings in a trader's words, e.g. for the head of a backtest report. */
export function strategySummary(params: BacktestParamsInput, barCount: number): string {
  const p = backtestParamsSchema.parse(params);
  const n = p.lookback;
  // The band width and RSI levels left out take the native core's defaults (2 std; 30 and 70).
  const rule = {
    zscore: `zscore over ${n} bars: enter at |z| >= ${p.entryZ}, exit at |z| <= ${p.exitZ}`,
    bollinger: `bollinger over ${n} bars, ${p.bollingerK ?? 2} std: long below the lower band, short above the upper, exit at the middle`,
    rsi: `rsi over ${n} bars: long below ${p.rsiOversold ?? 30}, short above ${p.rsiOverbought ?? 70}, exit back across 50`,
  }[p.strategy];
  const risk = [
    `${p.quantity} contract${p.quantity === 1 ? '' : 's'}`,
    `stop ${usd(p.stopUsd)} and target ${usd(p.targetUsd)} per contract`,
    `max hold ${p.maxHoldMinutes} min`,
    `breakers ${p.breakers ? 'on' : 'off'}`,
  ].join(', ');
  return `Backtest ${rule}\n${risk}; ${barCount} bars of ${p.barSeconds} s\n`;
}
