import { defineConfig } from '@playwright/test';
import type { Target } from './e2e/fixtures';

// Debian's Chromium, never a downloaded browser; PLAYWRIGHT_CHROMIUM points elsewhere if needed.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig<object, { target: Target }>({
  testDir: 'e2e',
  outputDir: 'e2e-output/test-results',
  globalSetup: './e2e/global-setup.ts',
  // One harness, one library: the specs run one after another.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list'], ['html', { outputFolder: 'e2e-output/report', open: 'never' }]],
  use: {
    headless: true,
    viewport: { width: 1440, height: 900 },
    locale: 'en-US',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'browser', use: { browserName: 'chromium', target: 'browser' } },
    { name: 'electron', use: { target: 'electron' } },
  ],
});
