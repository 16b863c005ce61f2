// The gate every trading start passes: a valid config, a working database, and for LIVE mode the config flag plus
// the typed phrase "LIVE <account>" entered in this session. Every arming attempt is written to the audit log.
import type { CommandResultDTO, TradingGateDTO } from '../../src-preload/contract';
import { liveConfirmationPhrase, mayStartTrading } from './config/live-guard';
import type { Config } from './config/schema';
import type { AuditRepo } from './store/audit-repo';

export class TradingGate {
  private armedPhrase: string | null = null;

  constructor(
    private readonly config: Config | null,
    private readonly blockers: string[],
    private readonly audit: AuditRepo | null,
    private readonly actor: string,
  ) {}

  status(): TradingGateDTO {
    const mode = this.config?.mode ?? null;
    const phrase = this.config?.mode === 'live' && this.config.ib.account !== undefined ? liveConfirmationPhrase(this.config.ib.account) : null;
    if (this.config === null || this.blockers.length > 0) {
      return { configuredMode: mode, canTrade: false, armed: false, reason: this.blockers.join('; ') || 'the configuration is invalid', confirmationPhrase: null };
    }
    const decision = mayStartTrading(this.config, this.armedPhrase);
    return {
      configuredMode: this.config.mode,
      canTrade: decision.allowed,
      armed: this.config.mode === 'live' && decision.allowed,
      reason: decision.allowed ? null : decision.reason,
      confirmationPhrase: phrase,
    };
  }

  armLive(typed: string): CommandResultDTO {
    if (this.config === null || this.blockers.length > 0) return this.refuse(typed, this.status().reason ?? 'the configuration is invalid');
    if (this.config.mode !== 'live') return this.refuse(typed, `the config is in ${this.config.mode} mode; live trading is switched on in the config first (mode: live)`);
    const decision = mayStartTrading(this.config, typed);
    if (!decision.allowed) return this.refuse(typed, decision.reason);
    this.armedPhrase = typed.trim();
    this.audit?.append('command', this.actor, `LIVE trading armed for account ${this.config.ib.account ?? '?'}`);
    return { accepted: true, message: `LIVE trading armed for account ${this.config.ib.account ?? '?'}: orders will reach the market with real money` };
  }

  private refuse(typed: string, reason: string): CommandResultDTO {
    this.audit?.append('command', this.actor, `LIVE arming refused: ${reason}`, { typedLength: typed.length });
    return { accepted: false, message: `Live trading not armed: ${reason}` };
  }
}
