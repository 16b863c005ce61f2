// Shows whether trading may start and, in LIVE mode, asks for the typed confirmation "LIVE <account>".
import { useEffect, useState } from 'react';
import type { Api, TradingGateDTO } from '../../../src-preload/contract';

export function TradingGatePanel({ api }: { api: Api }) {
  const [gate, setGate] = useState<TradingGateDTO | null>(null);
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    api.request('trading:gate', {}).then(setGate, (e: Error) => setMessage({ ok: false, text: e.message }));
  }, [api]);

  if (gate === null) return null;

  const arm = async (): Promise<void> => {
    const r = await api.request('trading:armLive', { phrase: typed });
    setMessage({ ok: r.accepted, text: r.message });
    setGate(await api.request('trading:gate', {}));
  };

  const mode = gate.configuredMode?.toUpperCase() ?? 'INVALID CONFIG';
  return (
    <section className={`gate ${gate.canTrade ? 'gate-ok' : 'gate-blocked'}`} data-testid="trading-gate">
      <span className="gate-mode">Configured mode: {mode}</span>
      <span data-testid="gate-status">
        {gate.canTrade ? (gate.armed ? 'LIVE trading armed for this session' : 'Trading allowed') : `Trading refused: ${gate.reason ?? ''}`}
      </span>
      {gate.configuredMode === 'live' && !gate.armed && gate.confirmationPhrase !== null && (
        <form
          className="gate-form"
          onSubmit={(e) => {
            e.preventDefault();
            void arm();
          }}
        >
          <label htmlFor="live-phrase">
            Type <code>{gate.confirmationPhrase}</code> to arm live trading (real money):
          </label>
          <input id="live-phrase" data-testid="live-phrase" value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          <button type="submit" className="danger" data-testid="arm-live">Arm live trading</button>
        </form>
      )}
      {message !== null && (
        <span className={message.ok ? 'gate-msg-ok' : 'gate-msg-bad'} data-testid="gate-message">{message.text}</span>
      )}
    </section>
  );
}
