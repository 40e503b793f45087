// Issue 4: Train → the loss chart grows and the loss falls → Stop → idle, the step
// counter stops → Train again continues from the same step.
import { expect, test } from '@playwright/test';
import { observeLongTasks, pageNow, reportLongTasks, traceMainThread, openFresh, readNumber, readStep } from './helpers';

// Tracing snapshots the page after every action, which shows up as long tasks that are not ours.
test.use({ trace: 'off' });

test('train, watch the loss fall, stop, and resume from the same step', async ({ page }, testInfo) => {
  await observeLongTasks(page);
  await openFresh(page);
  const status = page.getByTestId('status');
  const chart = page.getByTestId('loss-chart');
  // Before any step the charts show where a fresh network starts: chance level.
  await expect(page.getByTestId('loss-legend').getByText('chance (ln 10)')).toBeVisible();
  await expect(page.getByTestId('accuracy-legend').getByText('chance (10%)')).toBeVisible();

  const stopTrace = await traceMainThread(page);
  const trainAt = await pageNow(page);
  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-status', 'training');
  await expect(page.getByTestId('stop-button')).toBeEnabled();
  await expect(page.getByTestId('train-button')).toBeDisabled();

  // The chart gains points as metrics stream in...
  await expect.poll(() => readNumber(page, 'loss-chart', 'data-point-count')).toBeGreaterThan(20);
  const early = await readNumber(page, 'loss-chart', 'data-last-step');
  await expect.poll(() => readNumber(page, 'loss-chart', 'data-last-step')).toBeGreaterThan(early + 50);
  // ...and the smoothed loss falls well below where it started (ln 10 ≈ 2.3 for a fresh network).
  await expect.poll(async () => (await readNumber(page, 'loss-chart', 'data-latest-loss')) / (await readNumber(page, 'loss-chart', 'data-first-loss'))).toBeLessThan(0.6);
  await expect(chart.locator('svg path.recharts-curve').first()).toBeVisible();

  const watchedUntil = await pageNow(page);
  const trace = await stopTrace();
  await page.screenshot({ path: testInfo.outputPath('training.png'), fullPage: true });
  await testInfo.attach('training', { path: testInfo.outputPath('training.png'), contentType: 'image/png' });

  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('train-button')).toBeEnabled();
  const stoppedAt = await readStep(page);
  const pointsAtStop = await readNumber(page, 'loss-chart', 'data-point-count');
  expect(stoppedAt).toBeGreaterThan(0);
  await page.waitForTimeout(1500);
  expect(await readStep(page)).toBe(stoppedAt);

  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-status', 'training');
  // Continued, not restarted: the counter goes on from where it stopped (a fresh model would count from 1)
  // and the curve keeps its points and grows past the stop.
  await expect.poll(() => readStep(page)).toBeGreaterThan(stoppedAt);
  await expect.poll(() => readNumber(page, 'loss-chart', 'data-last-step')).toBeGreaterThan(stoppedAt);
  expect(await readNumber(page, 'loss-chart', 'data-point-count')).toBeGreaterThanOrEqual(Math.min(pointsAtStop, 450));
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');

  await reportLongTasks(page, 'training.spec', trainAt, watchedUntil, trace);
});
