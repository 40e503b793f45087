// End-to-end tests: the real UI in Debian's Chromium against the real web host
// (`npm run web`), started here on a free port. The `electron` project runs the
// Electron launcher spec, which skips itself where no Electron binary can run.
//
// DIGITRAIN_E2E_URL=http://127.0.0.1:PORT/ runs the specs against a host that is already up.
// The host keeps runs and the learner's digits in a temporary folder of the run's own (never the
// user's), removed at the end (e2e/globalTeardown.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { findElectron } from './e2e/electronBinary';

/** A port nobody listens on now. Workers re-read this file, so the runner's choice is passed on in the environment. */
function freePort(): number {
  const script = "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const external = process.env.DIGITRAIN_E2E_URL;
process.env.DIGITRAIN_E2E_PORT ??= String(external ? new URL(external).port : freePort());
const port = Number(process.env.DIGITRAIN_E2E_PORT);
process.env.DIGITRAIN_E2E_DATA ??= mkdtempSync(join(tmpdir(), 'digitrain-e2e-'));
const dataDir = process.env.DIGITRAIN_E2E_DATA;
const baseURL = external ?? `http://127.0.0.1:${port}/`;

// The same UI in the real Electron app, where a binary can run; otherwise say why it is not part of this run.
const electron = external ? null : findElectron();
if (electron && 'reason' in electron && !process.env.DIGITRAIN_E2E_ELECTRON_REPORTED) {
  process.env.DIGITRAIN_E2E_ELECTRON_REPORTED = '1';
  console.log(`[e2e] Electron project not run: ${electron.reason}. The web project runs the same UI.`);
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  // One trainer per host: specs share it, so they run one after another.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // Generous: CI machines are small and training shares them with the browser.
  timeout: 420_000,
  expect: { timeout: 150_000 },
  reporter: [['list']],
  globalTeardown: './e2e/globalTeardown.ts',
  use: {
    baseURL,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'web', testIgnore: /electron\.spec\.ts$/ }, ...(electron && 'path' in electron ? [{ name: 'electron', testMatch: /electron\.spec\.ts$/ }] : [])],
  webServer: external
    ? undefined
    : {
        command: `npm run web -- --port ${port} --data-dir ${JSON.stringify(dataDir)}`,
        url: baseURL,
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: 'pipe',
        stderr: 'pipe',
      },
});
