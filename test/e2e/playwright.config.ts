// Playwright against the loopback web host, in Debian's Chromium (never a downloaded browser). Each
// test starts its own host on its own temp data folder (see fixtures.ts); one worker on a 2-core box.
import path from 'node:path';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: __dirname,
  testMatch: '*.spec.ts',
  globalSetup: path.join(__dirname, 'global-setup.ts'),
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  outputDir: path.join(__dirname, '..', '..', 'test-results'),
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
