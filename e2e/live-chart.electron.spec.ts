import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary } from './fixtures/electron';

const bin = electronBinary();

test('the desktop app streams bars and the z-score changes', async () => {
  test.skip('skip' in bin, 'skip' in bin ? bin.skip : '');
  if (!('path' in bin)) return;
  const app = await electron.launch({ executablePath: bin.path, args: ['out/main/index.js'] });
  const page = await app.firstWindow();
  await expect(page.getByTestId('mode')).toHaveText('SIMULATION');
  const count = page.getByTestId('bar-count');
  await expect.poll(async () => Number(await count.textContent()), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const zBefore = await page.getByTestId('z-value').textContent();
  await expect.poll(async () => page.getByTestId('z-value').textContent(), { timeout: 15_000 }).not.toBe(zBefore);
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
    api: typeof window.api,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object' });
  // Navigation and new windows are denied.
  await page.evaluate(() => window.open('https://example.com'));
  expect(app.windows()).toHaveLength(1);
  await app.close();
});
