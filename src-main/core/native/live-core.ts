// The decision core for live trading: the same Rust state machine the backtest drives, built from the app's
// config. Bars and fills go in one at a time; the snapshot (JSON) is what the engine persists on every change.
import type { CoreIntent, CorePosition, CoreStatus, LiveCore as NativeLiveCore } from '@qs/native';
import type { Config } from '../config/schema';
import { native } from './index';

export type { CoreIntent, CorePosition, CoreStatus };
export type LiveCore = NativeLiveCore;

/** Where the live engine gets its strategy and limits: the config file (slippage only matters to backtests). */
export function coreOptionsFromConfig(c: Config, capital = c.risk.accountSizeUsd) {
  const s = c.strategy;
  const lookback = s.name === 'zscore' ? s.zscore.lookback : s.name === 'bollinger' ? s.bollinger.period : s.rsi.period;
  return {
    strategy: s.name,
    lookback,
    bollingerK: s.bollinger.k,
    rsiOversold: s.rsi.oversold,
    rsiOverbought: s.rsi.overbought,
    entryZ: s.zscore.entryZ,
    exitZ: s.zscore.exitZ,
    quantity: c.risk.quantity,
    maxPosition: c.risk.maxPosition,
    stopUsd: c.risk.stopUsd,
    targetUsd: c.risk.targetUsd,
    maxHoldMinutes: c.risk.maxHoldMinutes,
    dailyLossLimitUsd: c.risk.dailyLossLimitUsd,
    consecutiveLossesToPause: c.risk.consecutiveLossesToPause,
    pauseMinutes: c.risk.pauseMinutes,
    maxDrawdownUsd: c.risk.maxDrawdownUsd,
    maxOrdersPerMinute: c.risk.maxOrdersPerMinute,
    breakers: true,
    commissionPerSide: c.risk.commissionPerSideUsd,
    slippageTicks: 0,
    barSeconds: s.barSeconds,
    capital,
  };
}

export function createLiveCore(c: Config): LiveCore {
  return new native.LiveCore(coreOptionsFromConfig(c));
}

/**
 * Restores a core from its persisted snapshot under the current config: trading state, position, P&L and breaker
 * counts carry over; when the strategy settings changed, the strategy starts fresh (`core.strategyReset`) and the
 * engine warms it up again. A snapshot the core cannot read is an error, never a silent fresh start.
 */
export function restoreLiveCore(snapshotJson: string, c: Config): LiveCore {
  return native.LiveCore.restoreWithOptions(snapshotJson, coreOptionsFromConfig(c));
}
