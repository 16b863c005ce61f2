import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServe } from './fixtures/headless';

const liveConfig = 'mode: live\nliveTradingConfirmed: true\nib: { account: U7654321, port: 4001 }\ntelegram: { enabled: true }\n';

test('LIVE mode needs the typed confirmation naming the account', async ({ page }) => {
  const { app, proc } = await startServe(['--sim-bar-ms', '500'], liveConfig);
  try {
    await page.goto(`${app.url}?token=${app.token}`);
    await expect(page.getByTestId('gate-status')).toContainText('Trading refused: type "LIVE U7654321"');
    await page.getByTestId('live-phrase').fill('live u7654321');
    await page.getByTestId('arm-live').click();
    await expect(page.getByTestId('gate-message')).toContainText('Live trading not armed');
    await page.getByTestId('live-phrase').fill('LIVE U7654321');
    await page.getByTestId('arm-live').click();
    await expect(page.getByTestId('gate-status')).toHaveText('LIVE trading armed for this session');
    await page.screenshot({ path: 'test-results/live-guard.png' });
  } finally {
    proc.kill('SIGTERM');
    rmSync(app.dataDir, { recursive: true, force: true });
  }
});

test('simulation needs no confirmation', async ({ page }) => {
  const { app, proc } = await startServe(['--sim-bar-ms', '500']);
  try {
    await page.goto(`${app.url}?token=${app.token}`);
    await expect(page.getByTestId('gate-status')).toHaveText('Trading allowed');
    await expect(page.getByTestId('live-phrase')).toHaveCount(0);
  } finally {
    proc.kill('SIGTERM');
    rmSync(app.dataDir, { recursive: true, force: true });
  }
});
