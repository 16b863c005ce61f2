import { rmSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startServe } from './fixtures/headless';

test('an invalid config is shown with its field path and trading is refused', async ({ page }) => {
  const { app, proc } = await startServe(['--sim-bar-ms', '500'], 'risk:\n  stopUsd: 900\n  dailyLossLimitUsd: 500\n');
  try {
    await page.goto(`${app.url}?token=${app.token}`);
    const banner = page.getByTestId('config-errors');
    await expect(banner).toContainText('Trading is refused');
    await expect(banner).toContainText('risk.stopUsd');
    await expect(banner).toContainText('daily loss limit of $500');
  } finally {
    proc.kill('SIGTERM');
    rmSync(app.dataDir, { recursive: true, force: true });
  }
});
