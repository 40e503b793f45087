// Issue 18, items 3–6: why this answer (saliency, contributions), what-if sliders and the shift
// sweep, the preprocessing steps of a drawn digit, and training health — with a run that
// explodes (SGD, lr 5) stopped, named and offered Reset, the gradient norms rising before it.
import { expect, test, type Page } from '@playwright/test';
import { observeLongTasks, openFresh, openView, pageNow, readNumber, readStep, reportLongTasks, setField, traceMainThread } from './helpers';

test.use({ trace: 'off' });

/** The what-if input as the page drew it (28×28 RGBA). */
async function whatIfPixels(page: Page): Promise<number[]> {
  return page
    .getByTestId('what-if')
    .locator('canvas')
    .first()
    .evaluate((element) => {
      const canvas = element as unknown as { getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null };
      return Array.from(canvas.getContext('2d')?.getImageData(0, 0, 28, 28).data ?? []);
    });
}

/** A fresh default model that trains with Adam (lr 1e-3), whatever an earlier test left in the settings. */
async function openFreshAdam(page: Page, settings: { evalEvery?: number } = {}): Promise<void> {
  await openFresh(page, settings);
  await page.getByTestId('hp-optimizer').selectOption('adam');
  await setField(page, 'hp-lr', 0.001);
}

async function probabilities(page: Page): Promise<number[]> {
  return page
    .getByTestId('whatif-bars')
    .locator('[data-p]')
    .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-p'))));
}

test('why this answer, what-if sliders and the sweep follow a selected digit while training (Inspect view)', async ({ page }) => {
  await observeLongTasks(page);
  await openFreshAdam(page, { evalEvery: 200 });
  await openView(page, 'Health');
  await expect(page.getByTestId('health-panel')).toBeVisible();
  await openView(page, 'Train');
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('sample-grid').getByTestId('sample').first()).toBeVisible();
  // A digit selected while training in the Train view: Inspect shows it (the selection is shared), and the
  // saliency map, the contributions and the what-if panel follow the weights.
  await page.getByTestId('sample-grid').getByTestId('sample').first().click();
  await openView(page, 'Inspect');
  await expect(page.getByTestId('saliency-map')).toBeVisible();
  await expect(page.getByTestId('contribution').first()).toBeVisible();
  // Long tasks while training with the Inspect view open and following (after the click's own renders).
  await page.waitForTimeout(1000);
  const stopTrace = await traceMainThread(page);
  const trainAt = await pageNow(page);
  const stepAt = await readStep(page);
  await page.waitForTimeout(6000);
  await expect.poll(() => readStep(page)).toBeGreaterThan(stepAt + 100);
  const watchedUntil = await pageNow(page);
  const trace = await stopTrace();
  await openView(page, 'Health');
  await expect(page.getByTestId('health-layer')).toHaveCount(3); // l1, act, l2
  await expect.poll(() => readNumber(page, 'health-panel', 'data-samples')).toBeGreaterThan(20);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  await reportLongTasks(page, 'insight.spec, Inspect view open', trainAt, watchedUntil, trace);

  // Health: every layer's strips of histograms, the ratio marked, dead ReLUs measured.
  const l1 = page.locator('[data-testid="health-layer"][data-layer="l1"]');
  await expect(l1.getByTestId('health-gradnorm')).toBeVisible();
  await expect(l1.getByTestId('health-weights')).toHaveAttribute('data-count', '8');
  await expect(page.locator('[data-testid="health-layer"][data-layer="act"]').getByTestId('health-dead')).toBeVisible();

  // Shift: the input moves and the probabilities change.
  await openView(page, 'Inspect');
  const answer = page.getByTestId('what-if');
  await expect.poll(async () => (await probabilities(page)).length).toBe(10);
  await expect(answer).not.toHaveAttribute('data-predicted', '-1');
  const before = await whatIfPixels(page);
  const pBefore = await probabilities(page);
  await page.getByTestId('whatif-shiftX').fill('6');
  await expect.poll(async () => JSON.stringify(await whatIfPixels(page))).not.toBe(JSON.stringify(before));
  // The ink moved right by 6 columns: column c of the shifted image is column c − 6 of the original.
  const after = await whatIfPixels(page);
  const redAt = (rgba: number[], x: number, y: number) => rgba[(y * 28 + x) * 4];
  for (let y = 0; y < 28; y++) for (let x = 6; x < 28; x++) expect(redAt(after, x, y)).toBe(redAt(before, x - 6, y));
  await expect.poll(async () => JSON.stringify(await probabilities(page))).not.toBe(JSON.stringify(pBefore));

  // The sweep plots 13 shifts.
  await page.getByTestId('whatif-sweep').click();
  await expect(page.getByTestId('sweep')).toHaveAttribute('data-done', '13');
});

test('a drawn digit shows its preprocessing steps', async ({ page }) => {
  await openFreshAdam(page);
  await openView(page, 'Try it');
  const pad = page.getByTestId('draw-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('draw pad not visible');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let t = 1; t <= 10; t++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * t));
  await page.mouse.up();
  await expect(page.getByTestId('draw-result')).toBeVisible();
  // The drawing is the selected digit: the Inspect view shows how it was read.
  await openView(page, 'Inspect');
  const steps = page.getByTestId('preprocess-steps');
  await expect(steps).toBeVisible();
  for (const id of ['prep-original', 'prep-grey', 'prep-inverted', 'prep-cropped', 'prep-scaled', 'prep-centred']) await expect(steps.getByTestId(id)).toBeVisible();
  await expect(steps.getByTestId('prep-scaled')).toContainText(/20/);
  await expect(steps.getByTestId('prep-centred')).toContainText('28×28');
  await expect(page.getByTestId('saliency-map')).toBeVisible();
});

test('SGD with lr 5 explodes: the run stops naming the step and the layer, the gradient norms rose before, Reset starts afresh', async ({ page }) => {
  await openFresh(page);
  await page.getByTestId('hp-optimizer').selectOption('sgd');
  await setField(page, 'hp-lr', 5);
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'error');
  await expect(page.getByTestId('status-error')).toContainText(/the loss (exploded to [\d.]+|became NaN|became Infinity) at step \d+/);
  await expect(page.getByTestId('status-error')).toContainText(/It started in l[12]/);
  await openView(page, 'Health');
  const box = page.getByTestId('divergence');
  await expect(box).toBeVisible();
  const step = await readNumber(page, 'divergence', 'data-step');
  const layer = await box.getAttribute('data-layer');
  expect(layer).toMatch(/^l[12]$/);
  await expect(page.getByTestId('status-error')).toContainText(`at step ${step}`);
  await expect(page.getByTestId('divergence-banner')).toContainText(`step ${step}`);
  // The health panel shows the gradient norm rising before it: every step sampled, the last 10× the first and more.
  const values = (await page.locator(`[data-testid="health-layer"][data-layer="${layer}"]`).getByTestId('health-gradnorm').getAttribute('data-values'))!.split(',').map(Number);
  expect(values.length).toBe(step - 1);
  expect(Math.max(...values)).toBeGreaterThan(10 * values[0]);
  await expect(page.locator(`[data-testid="health-layer"][data-layer="${layer}"]`).getByTestId('health-note').first()).toContainText('exploding');
  // The reason is shown once, in the status line (its error event arrived long before this), not again in a notice below it.
  await expect(page.getByTestId('status-error')).toBeVisible();
  await expect(page.getByTestId('notice')).toHaveCount(0);

  await page.getByTestId('divergence-reset').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('divergence')).toHaveCount(0);
  // Back to a rate that trains, for the specs after this one.
  await page.getByTestId('hp-optimizer').selectOption('adam');
  await setField(page, 'hp-lr', 0.001);
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
});
