// The guard in front of LIVE trading: the config must say live and carry liveTradingConfirmed, and the trader
// must type the confirmation phrase naming the account. Paper and simulation need no phrase.
import type { Config } from './schema';

export type GuardDecision = { allowed: true } | { allowed: false; reason: string };

export function liveConfirmationPhrase(account: string): string {
  return `LIVE ${account}`;
}

export function mayStartTrading(config: Config, typedConfirmation: string | null): GuardDecision {
  if (config.mode !== 'live') return { allowed: true };
  if (!config.liveTradingConfirmed) {
    return { allowed: false, reason: 'live trading is not enabled in the config (liveTradingConfirmed: false)' };
  }
  const account = config.ib.account;
  if (account === undefined) return { allowed: false, reason: 'live trading needs ib.account in the config' };
  const phrase = liveConfirmationPhrase(account);
  if (typedConfirmation?.trim() !== phrase) {
    return { allowed: false, reason: `type "${phrase}" exactly to confirm live trading on account ${account}` };
  }
  return { allowed: true };
}
