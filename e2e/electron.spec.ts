// The same Train / Stop / resume flow in the real Electron app, through Playwright's
// Electron launcher — where an Electron binary can run. The npm package fetches its
// binary on first use; where that download is impossible this spec skips and says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { readStep } from './helpers';

const root = join(dirname(new URL(import.meta.url).pathname), '..');

/** The Electron executable if it is installed and starts; otherwise why not. Never triggers a download. */
function findElectron(): { path: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(packageDir, 'path.txt');
  if (!override && !existsSync(pathFile)) return { reason: `no Electron binary was downloaded (${pathFile} is missing)` };
  const executable = override
    ? join(override, readFileSafe(pathFile) ?? 'electron')
    : join(packageDir, 'dist', readFileSafe(pathFile) ?? '');
  if (!existsSync(executable)) return { reason: `the Electron binary ${executable} does not exist` };
  const run = spawnSync(executable, ['--version'], { timeout: 20_000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (run.status !== 0) return { reason: `the Electron binary does not run: ${run.error?.message ?? run.stderr.trim()}` };
  return { path: executable };
}

function readFileSafe(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

const found = findElectron();

test('Electron app: train, stop and resume from the same step', async ({}, testInfo) => {
  if ('reason' in found) {
    console.log(`[electron.spec] skipped: ${found.reason}. The web host runs the same UI (project "web").`);
  }
  test.skip('reason' in found, 'reason' in found ? found.reason : '');
  if ('reason' in found) return;

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
