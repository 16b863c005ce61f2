import { expect, test } from './fixtures/headless';

test('the live chart streams bars and the z-score changes in a browser', async ({ page, served }) => {
  await page.goto(`${served.url}?token=${served.token}`);
  // The one-time token is traded for a cookie and dropped from the address bar.
  await expect(page).toHaveURL(served.url);
  await expect(page.getByTestId('mode')).toHaveText('SIMULATION');
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await expect(page.locator('[data-testid="live-chart"] canvas').first()).toBeVisible();

  const count = page.getByTestId('bar-count');
  await expect.poll(async () => Number(await count.textContent()), { timeout: 10_000 }).toBeGreaterThanOrEqual(3);

  const zValues = new Set<string>();
  await expect
    .poll(
      async () => {
        zValues.add((await page.getByTestId('z-value').textContent()) ?? '');
        return zValues.size;
      },
      { timeout: 10_000 },
    )
    .toBeGreaterThanOrEqual(3);
  for (const z of zValues) expect(z).toMatch(/^[+-]\d+\.\d{2}$/);

  // The renderer is a plain web page: no Node.js reaches it.
  const globals = await page.evaluate(() => ({
    require: typeof (window as unknown as { require?: unknown }).require,
    process: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined' });
  await page.screenshot({ path: 'test-results/live-chart.png' });
});

test('without the token the server answers 401 and the WebSocket is refused', async ({ request, served, page }) => {
  const res = await request.get(served.url, { failOnStatusCode: false });
  expect(res.status()).toBe(401);
  const post = await request.post(served.url, { failOnStatusCode: false, headers: { authorization: `Bearer ${served.token}` } });
  expect(post.status()).toBe(405);
  await page.goto(`${served.url}healthz`);
  const wsOpened = await page.evaluate(
    (url) =>
      new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve(true);
        ws.onerror = () => resolve(false);
      }),
    served.url.replace('http', 'ws') + 'ws',
  );
  expect(wsOpened).toBe(false);
});

test('inline script is blocked by the content security policy', async ({ page, served }) => {
  await page.goto(`${served.url}?token=${served.token}`);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.appendChild(s);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
});
