import { defineConfig } from '@playwright/test';

// Browser specs drive the headless shell in Debian's Chromium (no browser download); Electron specs drive the
// desktop app where the Electron binary is installed and skip, saying why, where it is not.
export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  projects: [
    {
      name: 'browser',
      testMatch: /.*\.browser\.spec\.ts/,
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.QS_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
        viewport: { width: 1440, height: 900 },
      },
    },
    { name: 'electron', testMatch: /.*\.electron\.spec\.ts/ },
  ],
});
