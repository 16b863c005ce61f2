import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './fixtures/electron';

const bin = electronBinary();

test('the desktop app trades the simulated market and its kill switch flattens and HALTs', async () => {
  test.skip('skip' in bin, 'skip' in bin ? bin.skip : '');
  if (!('path' in bin)) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'qs-electron-'));
  writeFileSync(join(dataDir, 'config.yaml'), 'simulation: { speed: 600, seed: 3, regime: volatile }\nstrategy: { zscore: { lookback: 5, entryZ: 1, exitZ: 0.2 } }\nrisk: { stopUsd: 25, targetUsd: 40 }\n');
  const app = await electron.launch({ executablePath: bin.path, args: ['out/main/index.js'], env: { ...process.env, QS_DATA_DIR: dataDir } });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('trading-phase')).toHaveText('ACTIVE', { timeout: 20_000 });
    await expect(page.getByTestId('trades').locator('li').first()).toContainText(/\$\d+\.\d{2}/, { timeout: 30_000 });
    await page.getByTestId('flatten').click();
    await page.getByTestId('flatten-confirm').click();
    await expect(page.getByTestId('trading-phase')).toHaveText('HALTED');
    await expect(page.getByTestId('position')).toHaveText('Flat', { timeout: 10_000 });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
