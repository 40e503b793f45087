// Issue 17, experiments: Step moves by exactly one step; a cosine schedule is drawn and the
// trainer's rate follows it; two runs with different learning rates are kept, overlaid with
// `lr` as their difference, still listed after a reload, and reopening one gives its recorded
// test accuracy, and exports as CSV and TensorBoard events; a run file damaged on disk is reported while the
// other runs still load.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { restoreExperimentSettings } from './experimentSettings';
import { openFresh, openView, readNumber, readStep, setField } from './helpers';

test.afterAll(async ({ browser }) => restoreExperimentSettings(await browser.newPage({ baseURL: test.info().project.use.baseURL })));

// A small network keeps steps and evaluations quick on a busy machine.
const SMALL = { hidden: 32, evalEvery: 100_000 };

test('Step takes exactly one step: the counter and the loss chart advance by one; S and Shift+S too', async ({ page }) => {
  await openFresh(page, SMALL);
  expect(await readNumber(page, 'loss-chart', 'data-point-count')).toBe(0);
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '1');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-point-count', '1');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-last-step', '1');
  // The key steps too (the focus is on the button, not in a field).
  await page.keyboard.press('s');
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '2');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-point-count', '2');
  await page.getByTestId('step-burst-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '12');
  await expect(page.getByTestId('loss-chart')).toHaveAttribute('data-point-count', '12');
  // Typing an s into a field types it; it does not step.
  await page.getByTestId('hp-seed').press('s');
  await page.waitForTimeout(500);
  expect(await readStep(page)).toBe(12);
  await page.getByTestId('hp-seed').fill('0');
});

/** The points of the lr curve's polyline, in SVG units (y grows downwards). */
async function curvePoints(page: Page): Promise<{ x: number; y: number }[]> {
  const raw = (await page.getByTestId('lr-line').getAttribute('points')) ?? '';
  return raw.split(' ').map((pair) => {
    const [x, y] = pair.split(',').map(Number);
    return { x, y };
  });
}

test('a cosine schedule is drawn, and the lr the trainer reports during training follows it', async ({ page }) => {
  await openFresh(page, SMALL);
  await page.getByTestId('hp-schedule').selectOption('cosine');
  await setField(page, 'hp-lr', '0.01');
  await setField(page, 'hp-schedule-steps', '100000');
  await setField(page, 'hp-min-lr-factor', '0');
  // Half a cosine from lr down to 0: starts at the top, ends at the bottom, falls all the way.
  const points = await curvePoints(page);
  expect(points.length).toBeGreaterThan(100);
  const ys = points.map((p) => p.y);
  expect(ys[0]).toBe(Math.min(...ys));
  for (let i = 1; i < ys.length; i++) expect(ys[i]).toBeGreaterThanOrEqual(ys[i - 1]);
  expect(Math.max(...ys) - ys[0]).toBeGreaterThan(40);

  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await page.getByTestId('train-button').click();
  // Long enough that a fast machine is still on the curve when it is read (at 2,000 steps a quiet machine had passed the
  // end, where a cosine stays at its final rate, before the first reading); past its length it stays there.
  const cosine = (step: number) => (0.01 * (1 + Math.cos((Math.PI * Math.min(step - 1, 100000)) / 100000))) / 2;
  const seen: number[] = [];
  let after = 10;
  for (let reading = 0; reading < 2; reading++) {
    await expect.poll(() => readNumber(page, 'lr-now', 'data-step'), { timeout: 120_000 }).toBeGreaterThan(after);
    // Both from one read: training goes on between two.
    const { step, lr } = await page.getByTestId('lr-now').evaluate((el) => ({ step: Number(el.getAttribute('data-step')), lr: Number(el.getAttribute('data-lr')) }));
    expect(Math.abs(lr - cosine(step))).toBeLessThan(1e-12);
    seen.push(lr);
    await expect(page.getByTestId('lr-marker')).toBeVisible();
    // The next reading comes from later in the run, however fast it goes.
    after = step + 20;
  }
  expect(seen[1]).toBeLessThan(seen[0]);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
});

/** Trains a run with this learning rate until past `steps`, then stops; returns its last step. */
async function trainRun(page: Page, lr: string, steps: number): Promise<number> {
  await setField(page, 'hp-lr', lr);
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page), { timeout: 120_000 }).toBeGreaterThan(steps);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  return readStep(page);
}

const rowsWithLr = (page: Page, ids: Set<string>, lr: string) =>
  page.locator(`[data-testid=run-row][data-lr="${lr}"]`).evaluateAll((rows, known) => rows.map((r) => r.getAttribute('data-run-id')).filter((id) => !known.includes(id ?? '')), [...ids]);

test('runs are kept and compared: two learning rates overlaid with lr as the difference, still there after a reload, reopened at their test accuracy; a damaged run file is reported', async ({
  page,
}) => {
  await openFresh(page, SMALL);
  await openView(page, 'Runs');
  const panel = page.getByTestId('runs-panel');
  await expect(panel).toHaveAttribute('data-folder', /.+/);
  const before = new Set(await page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-run-id') ?? '')));

  const slowSteps = await trainRun(page, '0.001', 20);
  await trainRun(page, '0.003', 20);
  // Each run is kept once it is evaluated after Stop; the list follows.
  await expect.poll(async () => (await rowsWithLr(page, before, '0.001')).length, { timeout: 60_000 }).toBe(1);
  await expect.poll(async () => (await rowsWithLr(page, before, '0.003')).length, { timeout: 60_000 }).toBe(1);
  const [slow] = await rowsWithLr(page, before, '0.001');
  const [fast] = await rowsWithLr(page, before, '0.003');
  const row = (id: string | null) => page.locator(`[data-testid=run-row][data-run-id="${id}"]`);

  await row(slow).getByTestId('run-compare').check();
  await row(fast).getByTestId('run-compare').check();
  const compare = page.getByTestId('runs-compare');
  await expect(compare).toHaveAttribute('data-runs', '2');
  for (const chart of ['compare-loss', 'compare-accuracy']) {
    await expect(page.getByTestId(chart)).toHaveAttribute('data-lines', '2');
    await expect(page.getByTestId(chart).locator('.compare-line path.recharts-curve')).toHaveCount(2);
  }
  const diff = page.getByTestId('runs-diff');
  await expect(diff.getByTestId('runs-diff-row')).toHaveCount(1);
  const lrRow = diff.locator('[data-testid=runs-diff-row][data-key=lr]');
  // The setting's name, with its key on hover (issue 25, point 10).
  await expect(lrRow.locator('th')).toHaveText('Learning rate');
  await expect(lrRow.locator('th')).toHaveAttribute('title', 'lr');
  await expect(lrRow.locator('td')).toHaveText(['0.001', '0.003']);
  // Against epochs and against time as well.
  await page.getByTestId('runs-axis-seconds').check();
  await expect(page.getByTestId('compare-loss').locator('.compare-line path.recharts-curve')).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath('runs-compared.png'), fullPage: true });

  await page.reload();
  await expect(page.getByTestId('status')).not.toHaveAttribute('data-status', 'connecting');
  await expect(row(slow)).toBeVisible();
  await expect(row(fast)).toBeVisible();

  // Reopening gives the run's weights: its step and the test accuracy it was kept with.
  const recorded = Number(await row(slow).getAttribute('data-final-accuracy'));
  expect(recorded).toBeGreaterThan(0.1);
  await row(slow).getByTestId('run-reopen').click();
  await expect(page.getByTestId('runs-message')).toContainText(`test accuracy ${(recorded * 100).toFixed(2)}%`);
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', String(slowSteps));
  await expect(page.getByTestId('test-accuracy')).toHaveText(`${(recorded * 100).toFixed(2)}%`);
  await expect(page.getByTestId('hp-lr')).toHaveValue('0.001');

  // For other tools: the run's curves as CSV (a row per point, the evaluations as rows of their own) and as TensorBoard events.
  const csvDownload = page.waitForEvent('download');
  await row(fast).getByTestId('run-export').selectOption('csv');
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(/\.csv$/);
  const lines = readFileSync(await csv.path(), 'utf8')
    .trimEnd()
    .split('\n');
  expect(lines[0]).toBe('step,epoch,time,train_loss,train_accuracy,lr,test_loss,test_accuracy');
  expect(lines.filter((l) => l.split(',')[3] !== '').length - 1).toBeGreaterThanOrEqual(20);
  await expect(page.getByTestId('runs-message')).toContainText('.csv');
  const tbDownload = page.waitForEvent('download');
  await row(fast).getByTestId('run-export').selectOption('tensorboard');
  expect((await tbDownload).suggestedFilename()).toMatch(/^events\.out\.tfevents\.\d+\.digitrain$/);
  await page.screenshot({ path: test.info().outputPath('runs-exported.png') });

  // A run file damaged on disk: reported, and the other runs still load.
  const folder = (await panel.getAttribute('data-folder')) as string;
  const file = join(folder, `${slow}.json`);
  writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
  await page.getByTestId('runs-refresh').click();
  const problem = page.locator(`[data-testid=runs-problem][data-run-id="${slow}"]`);
  await expect(problem).toContainText(`The run file ${slow}.json could not be read`);
  await expect(row(slow)).toHaveCount(0);
  await expect(row(fast)).toBeVisible();
  await row(fast).getByTestId('run-compare').check();
  await expect(page.getByTestId('compare-loss')).toHaveAttribute('data-lines', '1');
  // It can be deleted from there (two clicks: the first asks).
  await problem.getByTestId('run-delete').click();
  await problem.getByTestId('run-delete').click();
  await expect(problem).toHaveCount(0);
});
