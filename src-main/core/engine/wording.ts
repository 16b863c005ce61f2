// How the engine words states and amounts for the trader (alerts, status lines). Exchange times are Chicago times
// with the zone written out.
const REASON_WORDS: Record<string, string> = {
  kill_switch: 'by the kill switch',
  paused: 'by the trader',
  daily_loss_limit: 'after the daily loss limit',
  consecutive_loss_pause: 'after consecutive losing trades',
  drawdown_halt: 'after the max drawdown from the equity peak',
};
export const why = (reason: string | null | undefined) => (reason ? (REASON_WORDS[reason] ?? `(${reason.replaceAll('_', ' ')})`) : '');
export const contracts = (signed: number) => `${Math.abs(signed)} contract${Math.abs(signed) === 1 ? '' : 's'}`;
const ctTime = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZoneName: 'short' });
/** Times the trader reads are exchange (Chicago) times with the zone written out. */
export const fmtUntil = (epochSecs: number) => ctTime.format(epochSecs * 1000);
