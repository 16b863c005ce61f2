// Flatten / pause / resume (and adopt after a startup mismatch). Flatten asks for a second click within 5 s:
// one stray click must not close a position, two deliberate ones always do.
import { useEffect, useState } from 'react';
import type { Api, TradingPhase } from '../../../src-preload/contract';

export function KillSwitch({ api, phase, running }: { api: Api; phase: TradingPhase; running: boolean }) {
  const [armed, setArmed] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 5000);
    return () => clearTimeout(t);
  }, [armed]);

  const run = async (p: Promise<{ accepted: boolean; message: string }>): Promise<void> => {
    try {
      const r = await p;
      setResult({ ok: r.accepted, text: r.message });
    } catch (e) {
      setResult({ ok: false, text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className="kill-switch" data-testid="kill-switch">
      {armed ? (
        <button
          className="danger"
          data-testid="flatten-confirm"
          onClick={() => {
            setArmed(false);
            void run(api.request('trading:flatten', { confirm: true }));
          }}
        >
          Confirm: flatten everything
        </button>
      ) : (
        <button className="danger" data-testid="flatten" disabled={!running} onClick={() => setArmed(true)} title="Cancel every working order, close the position at market, then HALT">
          Flatten
        </button>
      )}
      <button data-testid="pause" disabled={!running || phase !== 'active'} onClick={() => void run(api.request('trading:pause', {}))} title="No new entries; exits and brackets keep working">
        Pause
      </button>
      <button data-testid="resume" disabled={!running || (phase !== 'paused' && phase !== 'halted')} onClick={() => void run(api.request('trading:resume', {}))}>
        Resume
      </button>
      {phase === 'blocked' && (
        <button data-testid="adopt" onClick={() => void run(api.request('trading:adopt', { confirm: true }))} title="Take the broker's position over as this app's own">
          Adopt broker position
        </button>
      )}
      {result !== null && (
        <span className={result.ok ? 'gate-msg-ok' : 'gate-msg-bad'} data-testid="command-result">
          {result.text}
        </span>
      )}
    </div>
  );
}
