// The same Train / Stop / resume flow in the real Electron app, through Playwright's
// Electron launcher — where an Electron binary can run. The npm package fetches its
// binary on first use; where that is impossible, playwright.config.ts leaves this project
// out of the run and prints why.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectron } from './electronBinary';
import { readStep } from './helpers';

const root = join(dirname(new URL(import.meta.url).pathname), '..');

const found = findElectron();

test('Electron app: train, stop and resume from the same step', async ({}, testInfo) => {
  if ('reason' in found) throw new Error(`no runnable Electron: ${found.reason}`);

  const mainEntry = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
  if (!existsSync(join(root, mainEntry))) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  const app = await electron.launch({ executablePath: found.path, args: [root, '--no-sandbox'], cwd: root });
  try {
    const page = await app.firstWindow();
    const status = page.getByTestId('status');
    await expect(status).toHaveAttribute('data-status', /idle|training/);
    if ((await status.getAttribute('data-status')) === 'training') await page.getByTestId('stop-button').click();
    await expect(status).toHaveAttribute('data-status', 'idle');

    await page.getByTestId('train-button').click();
    await expect(status).toHaveAttribute('data-status', 'training');
    await expect.poll(async () => Number(await page.getByTestId('loss-chart').getAttribute('data-point-count'))).toBeGreaterThan(20);
    await page.getByTestId('stop-button').click();
    await expect(status).toHaveAttribute('data-status', 'idle');
    const stoppedAt = await readStep(page);
    await page.getByTestId('train-button').click();
    await expect.poll(() => readStep(page)).toBeGreaterThan(stoppedAt);
    await page.screenshot({ path: testInfo.outputPath('electron.png') });
    await page.getByTestId('stop-button').click();
    await expect(status).toHaveAttribute('data-status', 'idle');
  } finally {
    await app.close();
  }
});
