// Issue 13, "Done when": a learner whose machine trains ~15 steps/s sees test accuracy, sample
// guesses and the confusion matrix within 10 s of pressing Train. A web host of its own plays
// that machine: DIGITRAIN_TEST_STEP_DELAY_MS (test only, see src/main/training/testStepDelay.ts)
// adds 60 ms to every step of its training worker. It serves the renderer the suite built.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { readNumber, readStep } from './helpers';

test.use({ trace: 'off' });

const STEP_DELAY_MS = 60;
let host: ChildProcess | null = null;
let url = '';

test.beforeAll(async () => {
  host = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', '--no-build'], {
    env: { ...process.env, DIGITRAIN_TEST_STEP_DELAY_MS: String(STEP_DELAY_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the slow host did not start: ${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    host!.stdout!.on('data', read);
    host!.stderr!.on('data', read);
    host!.on('exit', (code) => reject(new Error(`the slow host exited (${code}): ${output}`)));
  });
});

test.afterAll(async () => {
  if (host && host.exitCode === null) {
    const exited = new Promise((resolve) => host!.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  }
});

test('at ~15 steps/s, test accuracy, samples and the confusion matrix show within 10 s of Train', async ({ page }, testInfo) => {
  await page.goto(url);
  const status = page.getByTestId('status');
  await expect(status).toHaveAttribute('data-status', 'idle');
  // The empty panels say what will happen, and when.
  await expect(page.getByTestId('samples-empty')).toContainText('after the first 100 steps (or 3 s of training)');

  await page.getByTestId('train-button').click();
  const pressed = Date.now();
  await expect(status).toHaveAttribute('data-status', 'training');
  const within = { timeout: 10_000 - (Date.now() - pressed) };
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d+\.\d\d%$/, within);
  await expect.poll(() => readNumber(page, 'sample-grid', 'data-sample-count'), { timeout: 10_000 - (Date.now() - pressed) }).toBeGreaterThan(0);
  await expect(page.getByTestId('confusion-matrix')).toHaveAttribute('data-total', '10000', { timeout: 10_000 - (Date.now() - pressed) });
  const seenAfter = Date.now() - pressed;
  const step = await readStep(page);
  await page.screenshot({ path: testInfo.outputPath('slow-machine-first-evaluation.png'), fullPage: true });
  // It really was that slow: at most one step per STEP_DELAY_MS.
  expect(step).toBeLessThanOrEqual(Math.ceil(seenAfter / STEP_DELAY_MS) + 1);
  console.log(`[slowMachine.spec] test accuracy, samples and confusion matrix ${(seenAfter / 1000).toFixed(1)} s after Train, at step ${step} (${((step * 1000) / seenAfter).toFixed(1)} steps/s)`);
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
});
