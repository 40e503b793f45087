// Issue 5: the network view learns visibly; samples show guesses and mistakes; the
// confusion matrix covers the whole test set; a new architecture needs Reset.
import { expect, test } from '@playwright/test';
import { isBlank, observeLongTasks, pageNow, reportLongTasks, traceMainThread, openFresh, readNumber, readStep, setField, tilePixels } from './helpers';

// Tracing snapshots the page after every action, which shows up as long tasks that are not ours.
test.use({ trace: 'off' });

test('weights, samples and the confusion matrix follow training; hidden = 64 needs Reset', async ({ page }, testInfo) => {
  await observeLongTasks(page);
  await openFresh(page, { evalEvery: 200 });
  const tiles = page.getByTestId('weight-tile');
  await expect(tiles).toHaveCount(128);

  const stopTrace = await traceMainThread(page);
  const trainAt = await pageNow(page);
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page)).toBeGreaterThanOrEqual(150);
  await expect.poll(() => readNumber(page, 'weight-tiles', 'data-weights-step')).toBeGreaterThan(100);
  const before = await tilePixels(page, 0);
  const stepBefore = await readNumber(page, 'weight-tiles', 'data-weights-step');
  expect(isBlank(before)).toBe(false);
  await expect.poll(() => readNumber(page, 'weight-tiles', 'data-weights-step')).toBeGreaterThan(stepBefore + 50);
  await expect.poll(() => readStep(page)).toBeGreaterThanOrEqual(300);
  const after = await tilePixels(page, 0);
  expect(isBlank(after)).toBe(false);
  expect(after).not.toEqual(before);

  const watchedUntil = await pageNow(page);
  const trace = await stopTrace();
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  // Stop evaluates the stopped model shortly after; wait for it, so the grid no longer changes under the checks below.
  const stoppedAt = await readStep(page);
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-evaluation-step', String(stoppedAt));

  // Samples: at least 24, each with a guess; exactly the mistakes are marked, with the true label.
  const grid = page.getByTestId('sample-grid');
  await expect.poll(() => readNumber(page, 'sample-grid', 'data-sample-count')).toBeGreaterThanOrEqual(24);
  const samples = grid.getByTestId('sample');
  const count = await samples.count();
  expect(count).toBeGreaterThanOrEqual(24);
  await expect(grid.getByTestId('sample-guess')).toHaveCount(count);
  for (const guess of await grid.getByTestId('sample-guess').allInnerTexts()) expect(guess).toMatch(/^[0-9]\s*\d+%$/);
  const mistakes = await readNumber(page, 'sample-grid', 'data-mistake-count');
  await expect(grid.locator('[data-correct="false"]')).toHaveCount(mistakes);
  await expect(grid.getByTestId('sample-truth')).toHaveCount(mistakes);
  if (mistakes > 0) {
    await expect(grid.locator('[data-correct="false"]').first()).toHaveCSS('border-top-color', 'rgb(220, 38, 38)');
  }
  await page.getByTestId('only-mistakes').check();
  await expect(grid.getByTestId('sample')).toHaveCount(mistakes);
  await page.getByTestId('only-mistakes').uncheck();

  // Selecting a digit runs it through the network: probabilities and lit hidden units.
  await samples.first().click();
  await expect(page.getByTestId('prediction')).not.toHaveAttribute('data-predicted', '');
  await expect(page.getByTestId('active-units')).toContainText('of 128 hidden units fire');
  await tiles.nth(3).click();
  await expect(page.getByTestId('unit-detail')).toContainText('Hidden unit 3');

  // The confusion matrix covers the full test set.
  const matrix = page.getByTestId('confusion-matrix');
  await expect(matrix).toHaveAttribute('data-total', '10000');
  const cells = await matrix.getByTestId('confusion-cell').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
  expect(cells).toHaveLength(100);
  expect(cells.reduce((a, b) => a + b, 0)).toBe(10000);
  await expect(matrix.getByTestId('class-accuracy')).toHaveCount(10);

  await page.screenshot({ path: testInfo.outputPath('network.png'), fullPage: true });
  await testInfo.attach('network', { path: testInfo.outputPath('network.png'), contentType: 'image/png' });

  // A new architecture: the UI says Reset is needed and Train waits for it.
  await setField(page, 'hp-hidden', 64);
  await expect(page.getByTestId('needs-reset')).toBeVisible();
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('needs-reset')).toHaveCount(0);
  await expect(tiles).toHaveCount(64);
  await expect(page.getByTestId('hidden-size')).toHaveText('64');
  await expect(page.getByTestId('params-total')).toHaveText((784 * 64 + 64 + 64 * 10 + 10).toLocaleString('en-US'));
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('train-button')).toBeEnabled();

  await reportLongTasks(page, 'network.spec', trainAt, watchedUntil, trace);
});
