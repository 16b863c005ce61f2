import { useEffect, useState } from 'react';
import type { Api, AppInfoDTO } from '../src-preload/contract';
import { Header } from './components/Header';
import { LiveChart } from './features/live/LiveChart';
import { TradingGatePanel } from './features/settings/TradingGatePanel';
import { TradingPanel } from './features/trading/TradingPanel';
import { useMarket } from './stores/market';
import { useTrading } from './stores/trading';

export function App({ api }: { api: Api }) {
  const [info, setInfo] = useState<AppInfoDTO | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const { pushBar, loadSnapshot } = useMarket.getState();
    // Subscribe before the snapshot so no bar falls between the two; bars older than the snapshot are skipped.
    let reloading = false;
    const off = api.on('market:bar', (e) => {
      const lastTime = useMarket.getState().last?.bar.time ?? -Infinity;
      if (e.bar.time > lastTime) pushBar(e);
      // Opened while trading was still starting: the history arrived after the first snapshot; fetch it again.
      if (!reloading && (useMarket.getState().history?.bars.length ?? 0) === 0) {
        reloading = true;
        api.request('market:snapshot', { limit: 500 }).then(loadSnapshot, (err: Error) => setError(err.message));
      }
    });
    api.request('app:info', {}).then(setInfo, (e: Error) => setError(e.message));
    api.request('market:snapshot', { limit: 500 }).then(loadSnapshot, (e: Error) => setError(e.message));
    const trading = useTrading.getState();
    const offs = [
      off,
      api.on('trading:status', trading.setStatus),
      api.on('trading:alert', trading.addAlert),
      api.on('trading:trade', trading.addTrade),
    ];
    api.request('trading:status', {}).then(trading.setStatus, (e: Error) => setError(e.message));
    Promise.all([api.request('trading:alerts', { limit: 50 }), api.request('trading:trades', { limit: 50 })]).then(
      ([alerts, trades]) => trading.load(alerts, trades),
      (e: Error) => setError(e.message),
    );
    return () => offs.forEach((f) => f());
  }, [api]);

  return (
    <div className="app">
      <Header mode={info?.mode ?? 'simulation'} />
      <main className="main">
        {error !== null && <div className="error-banner" role="alert">{error}</div>}
        {info !== null && info.config.errors.length > 0 && (
          <div className="error-banner" role="alert" data-testid="config-errors">
            Trading is refused: {info.config.file ?? 'config.yaml'} has errors. {info.config.errors.join(' · ')}
          </div>
        )}
        {info !== null && info.config.warnings.length > 0 && (
          <div className="warn-banner" data-testid="config-warnings">Config warnings: {info.config.warnings.join(' · ')}</div>
        )}
        <TradingGatePanel api={api} />
        <TradingPanel api={api} />
        <LiveChart />
      </main>
      <footer className="footer">
        {info ? `${info.name} ${info.version} · ${info.shell === 'electron' ? 'desktop' : 'web'} · paper trading first: live trading needs an explicit, confirmed switch` : 'connecting…'}
      </footer>
    </div>
  );
}
