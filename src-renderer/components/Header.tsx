import { fmtEtDateTime } from '../format';
import { useConnection } from '../stores/connection';
import { useMarket } from '../stores/market';

function fmtZ(z: number | null | undefined): string {
  if (z === null || z === undefined) return 'warming up';
  return (z >= 0 ? '+' : '') + z.toFixed(2);
}

export function Header({ mode }: { mode: string }) {
  const last = useMarket((s) => s.last);
  const view = useMarket((s) => s.view);
  const received = useMarket((s) => s.barsReceived);
  const conn = useConnection((s) => s.state);
  const z = last?.z;
  const zClass = z == null ? '' : Math.abs(z) >= (view?.entryZ ?? 2) ? 'signal' : Math.abs(z) <= (view?.exitZ ?? 0.5) ? 'calm' : '';

  return (
    <header className="header">
      <div className="brand">Quant Scalper</div>
      <span className={`mode mode-${mode}`} data-testid="mode">{mode.toUpperCase()}</span>
      <div className="readout">
        <span className="label">{view?.symbol ?? 'MES'}</span>
        <span className="value" data-testid="last-price">{last ? last.bar.close.toFixed(2) : '—'}</span>
      </div>
      <div className="readout">
        <span className="label">z ({view?.lookback ?? '—'} bars)</span>
        <span className={`value z ${zClass}`} data-testid="z-value">{fmtZ(z)}</span>
      </div>
      <div className="readout">
        <span className="label">bar (ET)</span>
        <span className="value" data-testid="bar-time">{last ? fmtEtDateTime(last.bar.time) : '—'}</span>
      </div>
      <div className="readout">
        <span className="label">live bars</span>
        <span className="value" data-testid="bar-count">{received}</span>
      </div>
      <div className={`conn conn-${conn}`} data-testid="connection">{conn === 'open' ? 'connected' : conn}</div>
    </header>
  );
}
