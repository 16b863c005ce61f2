import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { startServe } from './fixtures/headless';

// A fast simulated market and a jumpy strategy, so trades happen within seconds.
const fastSim = 'simulation: { speed: 600, seed: 3, regime: volatile }\nstrategy: { zscore: { lookback: 5, entryZ: 1, exitZ: 0.2 } }\nrisk: { stopUsd: 25, targetUsd: 40 }\n';

test('with no account the app trades the simulated market; the kill switch flattens and HALTs', async ({ page }) => {
  const { app, proc } = await startServe([], fastSim);
  try {
    await page.goto(`${app.url}?token=${app.token}`);
    await expect(page.getByTestId('trading-phase')).toHaveText('ACTIVE', { timeout: 20_000 });
    await expect(page.getByTestId('broker-connection')).toContainText('Connected to IB Gateway at 127.0.0.1');
    // Signals become bracket orders, fills and closed trades on screen.
    await expect(page.getByTestId('trades').locator('li').first()).toContainText(/\$\d+\.\d{2}/, { timeout: 30_000 });
    await expect(page.getByTestId('orders')).toContainText('Filled');
    await expect(page.getByTestId('latency')).toContainText('ms');
    await page.screenshot({ path: 'test-results/trading.png' });

    // What the screen shows is what the database holds.
    const db = new Database(join(app.dataDir, 'quant-scalper.db'), { readonly: true });
    const trades = db.prepare('SELECT COUNT(*) AS n FROM trades').get() as { n: number };
    const fills = db.prepare('SELECT COUNT(*) AS n FROM executions').get() as { n: number };
    db.close();
    expect(trades.n).toBeGreaterThanOrEqual(1);
    expect(fills.n).toBeGreaterThanOrEqual(2);

    // Flatten needs a second, deliberate click.
    await page.getByTestId('flatten').click();
    await page.getByTestId('flatten-confirm').click();
    await expect(page.getByTestId('command-result')).toContainText(/Flatten(ed| sent)/);
    await expect(page.getByTestId('trading-phase')).toHaveText('HALTED');
    await expect(page.getByTestId('position')).toHaveText('Flat', { timeout: 10_000 });
    await expect(page.getByTestId('alerts')).toContainText('HALTED');
    await page.getByTestId('resume').click();
    await expect(page.getByTestId('trading-phase')).toHaveText('ACTIVE');
    await page.screenshot({ path: 'test-results/trading-after-flatten.png' });
  } finally {
    proc.kill('SIGTERM');
    rmSync(app.dataDir, { recursive: true, force: true });
  }
});
