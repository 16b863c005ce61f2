// The trading strip: engine state, connection, position with its bracket, today's P&L in $ and points, order
// latency, the kill switch, and the latest orders, trades and alerts.
import type { Api, OrderDTO } from '../../../src-preload/contract';
import { fmtEtTime } from '../../format';
import { useTrading } from '../../stores/trading';
import { KillSwitch } from './KillSwitch';

const usd = (x: number) => `${x < 0 ? '-' : x > 0 ? '+' : ''}$${Math.abs(x).toFixed(2)}`;
const pts = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(2)} pts`;
const px = (x: number | null) => (x === null ? '—' : x.toFixed(2));
const tone = (x: number) => (x > 0 ? 'good' : x < 0 ? 'bad' : '');

function orderPrice(o: OrderDTO): string {
  if (o.type === 'LMT') return px(o.limitPrice);
  if (o.type === 'STP') return `stop ${px(o.stopPrice)}`;
  return 'MKT';
}

export function TradingPanel({ api }: { api: Api }) {
  const { status, alerts, trades } = useTrading();
  if (status === null) return null;
  const { state, pnl, position, latency } = status;
  return (
    <section className="trading" data-testid="trading-panel">
      <div className="trading-row">
        <span className={`phase phase-${state.phase}`} data-testid="trading-phase">
          {state.phase.toUpperCase()}
        </span>
        <span className="trading-msg" data-testid="trading-message">
          {status.running ? state.message : `Not trading: ${status.notRunningReason ?? ''}`}
        </span>
        <span className={status.connection.connected ? 'conn-open' : 'conn-closed'} data-testid="broker-connection">
          {status.connection.detail}
        </span>
      </div>
      {status.mismatches.length > 0 && (
        <div className="error-banner" role="alert" data-testid="mismatches">
          Startup check found: {status.mismatches.join(' · ')}. Choose adopt or flatten.
        </div>
      )}
      <div className="trading-row readouts">
        <div className="readout">
          <span className="label">{status.contract ?? 'MES'} position</span>
          <span className="value" data-testid="position">
            {position ? `${position.side.toUpperCase()} ${position.qty} @ ${px(position.entryPrice)}` : pnl.position !== 0 ? `${pnl.position} @ ${px(pnl.avgPrice)}` : 'Flat'}
          </span>
        </div>
        {position && (
          <div className="readout">
            <span className="label">Stop / target</span>
            <span className="value">
              {px(position.stop)} / {px(position.target)}
            </span>
          </div>
        )}
        <div className="readout">
          <span className="label">Unrealized</span>
          <span className={`value ${tone(pnl.unrealizedUsd)}`}>
            {usd(pnl.unrealizedUsd)} <small>{pts(pnl.unrealizedPoints)}</small>
          </span>
        </div>
        <div className="readout">
          <span className="label">Realized today</span>
          <span className={`value ${tone(pnl.realizedUsd)}`} data-testid="realized">
            {usd(pnl.realizedUsd)} <small>{pts(pnl.realizedPoints)}</small>
          </span>
        </div>
        <div className="readout">
          <span className="label">Net today</span>
          <span className={`value ${tone(pnl.netUsd)}`} data-testid="net-pnl">
            {usd(pnl.netUsd)} <small>after ${pnl.commissionsUsd.toFixed(2)} fees</small>
          </span>
        </div>
        <div className="readout">
          <span className="label">Bar → order p50 / p99</span>
          <span className="value" data-testid="latency">
            {latency.p50Ms === null ? '—' : `${latency.p50Ms.toFixed(1)} / ${(latency.p99Ms ?? 0).toFixed(1)} ms`}
          </span>
        </div>
        <KillSwitch api={api} phase={state.phase} running={status.running} />
      </div>
      <div className="trading-lists">
        <table className="orders" data-testid="orders">
          <thead>
            <tr>
              <th>Order</th>
              <th>Side</th>
              <th>Qty</th>
              <th>Price</th>
              <th>State</th>
              <th>Fill</th>
            </tr>
          </thead>
          <tbody>
            {status.orders
              .slice(-6)
              .reverse()
              .map((o) => (
                <tr key={o.orderRef} title={o.detail ?? o.orderRef}>
                  <td>{o.role}</td>
                  <td>{o.side}</td>
                  <td>{o.qty}</td>
                  <td>{orderPrice(o)}</td>
                  <td>{o.state}</td>
                  <td>{o.filledQty > 0 ? `${o.filledQty} @ ${px(o.avgFillPrice)}` : ''}</td>
                </tr>
              ))}
          </tbody>
        </table>
        <ul className="trades" data-testid="trades">
          {trades.slice(0, 6).map((t) => (
            <li key={`${t.entryTime}-${t.exitTime}`}>
              {fmtEtTime(t.exitTime)} ET {t.side} {t.qty} {px(t.entryPrice)} → {px(t.exitPrice)} <b className={tone(t.pnlUsd)}>{usd(t.pnlUsd)}</b> ({t.exitReason})
            </li>
          ))}
          {trades.length === 0 && <li className="muted">No trades yet</li>}
        </ul>
        <ul className="alerts" data-testid="alerts">
          {alerts.slice(0, 6).map((a, i) => (
            <li key={`${a.time}-${i}`} className={`alert-${a.level}`}>
              {fmtEtTime(a.time)} ET {a.text}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
