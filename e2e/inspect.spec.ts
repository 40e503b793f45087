// Issue 18 (items 1, 2, 7): a confusion cell opens exactly its images; the unit inspector's top
// images are the unit's largest activations over the test set (checked here in Node with the
// engine, on the weights the page saves); every panel open while training keeps the page's
// long tasks where they were.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { noGrad, Rng, Tensor } from '../src/engine';
import { fillPixels } from '../src/engine/data/batch';
import { MNIST_PIXELS } from '../src/engine/data/mnist';
import { loadMnist } from '../src/main/data/loadMnist';
import { SpecModel } from '../src/main/model/specModel';
import { decodeWeightsFile } from '../src/main/weights/decode';
import { observeLongTasks, openFresh, openView, pageNow, readNumber, readStep, reportLongTasks, traceMainThread } from './helpers';

test.use({ trace: 'off' });

const SHOTS = process.env.DIGITRAIN_SHOTS_DIR;

/** The window at this size, its view scrolled so that `target` starts at the top (DIGITRAIN_SHOTS_DIR keeps them elsewhere). */
async function shoot(page: Page, name: string, testInfo: { outputPath(name: string): string }, width: number, height: number, target: string): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.getByTestId(target).evaluate((element) => (element as unknown as { scrollIntoView(o: { block: string }): void }).scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  await page.screenshot({ path: SHOTS ? `${SHOTS}/${name}-${width}x${height}.png` : testInfo.outputPath(`${name}-${width}x${height}.png`) });
}

/** Each unit's activation (after its ReLU) for every test image, from the saved weights. */
function reluActivations(bytes: Uint8Array, layerIndex: number): { values: Float32Array; units: number; count: number } {
  const file = decodeWeightsFile(bytes);
  const model = new SpecModel(file.spec, new Rng(0));
  model.loadStateDict(new Map([...file.tensors].map(([name, t]) => [name, new Tensor(t.data, t.shape)])));
  model.eval();
  const { test: set } = loadMnist();
  const pixels = new Float32Array(set.count * MNIST_PIXELS);
  fillPixels(
    set,
    Int32Array.from({ length: set.count }, (_, i) => i),
    pixels,
  );
  const outputs = noGrad(() => model.forwardAll(new Tensor(pixels, [set.count, MNIST_PIXELS])));
  const out = outputs[layerIndex];
  return { values: out.data, units: out.shape[1], count: set.count };
}

test('a confusion cell opens exactly its images; the unit inspector shows the unit’s largest activations; the Inspect view open while training', async ({ page }, testInfo) => {
  await observeLongTasks(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await openFresh(page, { evalEvery: 200 });

  // The Inspect view's panels all following: a unit inspected (picked in the Train view), the gallery on the whole
  // test set (opened from the samples: the Inspect view opens), the output layer.
  await openView(page, 'Train');
  await page.getByTestId('weight-tile').nth(3).click();
  await page.getByTestId('browse-test-set').click();
  await expect(page.getByRole('tab', { name: 'Inspect', exact: true })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('unit-inspector')).toHaveAttribute('data-unit', '3');
  await expect(page.getByTestId('gallery')).toHaveAttribute('data-total', '10000');
  await expect(page.getByTestId('output-weights')).toHaveAttribute('data-tiled', 'true');
  await expect(page.getByTestId('output-marked')).toHaveAttribute('data-unit', '3');

  const stopTrace = await traceMainThread(page);
  const trainAt = await pageNow(page);
  await page.getByTestId('train-button').click();
  // Two evaluations land while training (the first after 100 steps or 3 s), and the gallery and the inspector follow each.
  await expect.poll(() => readNumber(page, 'gallery', 'data-step')).toBeGreaterThan(0);
  const first = await readNumber(page, 'gallery', 'data-step');
  await expect.poll(() => readNumber(page, 'gallery', 'data-step')).toBeGreaterThan(first);
  await expect.poll(() => readNumber(page, 'unit-inspector', 'data-step')).toBeGreaterThan(first);
  const watchedUntil = await pageNow(page);
  const trace = await stopTrace();
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  const stopped = await readStep(page);
  await openView(page, 'Train');
  await expect(page.getByTestId('sample-grid')).toHaveAttribute('data-evaluation-step', String(stopped));
  await reportLongTasks(page, 'inspect.spec, Inspect view open', trainAt, watchedUntil, trace);

  // A confusion cell: the gallery holds exactly its count, every one of them that cell's, most confident first.
  const cells = await page.getByTestId('confusion-cell').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-count'))));
  const offDiagonal = cells.map((count, i) => ({ count, r: Math.floor(i / 10), c: i % 10 })).filter((x) => x.r !== x.c && x.count > 0 && x.count <= 40);
  const cell = offDiagonal.sort((a, b) => b.count - a.count)[0];
  expect(cell).toBeDefined();
  await page
    .getByTestId('confusion-cell')
    .nth(cell.r * 10 + cell.c)
    .getByTestId('confusion-open')
    .click();
  const gallery = page.getByTestId('gallery');
  await expect(gallery).toHaveAttribute('data-total', String(cell.count));
  await expect(gallery).toHaveAttribute('data-step', String(stopped));
  await expect(gallery.getByTestId('gallery-image')).toHaveCount(cell.count);
  const shown = await gallery
    .getByTestId('gallery-image')
    .evaluateAll((els) =>
      els.map((el) => ({ label: Number(el.getAttribute('data-label')), predicted: Number(el.getAttribute('data-predicted')), confidence: Number(el.getAttribute('data-confidence')) })),
    );
  for (const image of shown) expect([image.label, image.predicted]).toEqual([cell.r, cell.c]);
  expect(shown.map((i) => i.confidence)).toEqual([...shown.map((i) => i.confidence)].sort((a, b) => b - a));
  await shoot(page, 'gallery-cell', testInfo, 1024, 700, 'gallery');
  await shoot(page, 'gallery-cell', testInfo, 1440, 900, 'gallery');

  // A diagonal cell has more than a page: its total is the cell's count, paged 40 at a time.
  const diagonal = cells[7 * 10 + 7];
  await openView(page, 'Train');
  await page.getByTestId('confusion-cell').nth(77).getByTestId('confusion-open').click();
  await expect(gallery).toHaveAttribute('data-total', String(diagonal));
  await expect(gallery.getByTestId('gallery-image')).toHaveCount(Math.min(40, diagonal));
  await page.getByTestId('gallery-next').click();
  await expect(gallery).toHaveAttribute('data-offset', '40');
  await expect(page.getByTestId('gallery-range')).toHaveText(`41–${Math.min(80, diagonal)} of ${diagonal.toLocaleString('en-US')}`);

  // By keyboard: the matrix is one Tab stop; the arrows move between cells with images, Enter opens one.
  await openView(page, 'Train');
  const tabStop = page.locator('[data-testid="confusion-open"][tabindex="0"]');
  await expect(tabStop).toHaveCount(1);
  await tabStop.focus();
  await page.keyboard.press('ArrowDown');
  const focused = Number(
    await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(name: string): string | null } | null } }).document.activeElement?.getAttribute('data-cell')),
  );
  expect(Number.isInteger(focused) && cells[focused] > 0).toBe(true);
  await page.keyboard.press('Enter');
  await expect(gallery).toHaveAttribute('data-total', String(cells[focused]));

  // The most confidently wrong overall, and a filter by guess.
  await openView(page, 'Train');
  await page.getByTestId('confusion-wrong').click();
  const wrong = cells.reduce((sum, count, i) => sum + (Math.floor(i / 10) !== i % 10 ? count : 0), 0);
  await expect(gallery).toHaveAttribute('data-total', String(wrong));
  await shoot(page, 'gallery-wrong', testInfo, 1024, 700, 'gallery');
  await shoot(page, 'gallery-wrong', testInfo, 1440, 900, 'gallery');
  await page.getByTestId('gallery-guess').selectOption('3');
  const guessed3 = cells.filter((_, i) => i % 10 === 3 && Math.floor(i / 10) !== 3).reduce((a, b) => a + b, 0);
  await expect(gallery).toHaveAttribute('data-total', String(guessed3));

  // The unit inspector at the stopped weights: its top 9 are the unit's 9 largest activations over the test set.
  const inspector = page.getByTestId('unit-inspector');
  await expect(inspector).toHaveAttribute('data-step', String(stopped));
  await expect(inspector.getByTestId('unit-top').getByTestId('unit-image')).toHaveCount(9);
  await expect(inspector.getByTestId('unit-vote')).toHaveCount(10);
  const top = await inspector
    .getByTestId('unit-top')
    .getByTestId('unit-image')
    .evaluateAll((els) => els.map((el) => ({ index: Number(el.getAttribute('data-index')), activation: Number(el.getAttribute('data-activation')) })));
  await page.getByTestId('weights-menu').click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('weights-save').click();
  const saved = testInfo.outputPath('inspected.safetensors');
  await (await downloading).saveAs(saved);
  await page.getByTestId('weights-result').getByRole('button', { name: 'Dismiss' }).click();
  const { values, units, count } = reluActivations(new Uint8Array(readFileSync(saved)), 1);
  const unit3 = Float32Array.from({ length: count }, (_, n) => values[n * units + 3]);
  const largest = Array.from(unit3)
    .sort((a, b) => b - a)
    .slice(0, 9);
  top.forEach((image, k) => {
    expect(image.activation).toBeCloseTo(largest[k], 4);
    expect(unit3[image.index]).toBeCloseTo(image.activation, 4);
  });
  await expect(inspector.getByTestId('unit-histogram')).toBeVisible();
  await shoot(page, 'unit-inspector', testInfo, 1024, 700, 'unit-inspector');
  await shoot(page, 'unit-inspector', testInfo, 1440, 900, 'unit-inspector');
  await shoot(page, 'output-weights', testInfo, 1024, 700, 'output-weights');
  await shoot(page, 'output-weights', testInfo, 1440, 900, 'output-weights');
});

test('a conv filter: its activation is its map’s largest value, its votes are summed over its positions', async ({ page }, testInfo) => {
  await openFresh(page, { evalEvery: 1000 });
  await page.getByTestId('hp-preset').selectOption('cnn');
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('needs-reset')).toHaveCount(0);
  await page.getByTestId('step-burst-button').click();
  await expect.poll(() => readStep(page)).toBe(10);
  await openView(page, 'Inspect');
  const inspector = page.getByTestId('unit-inspector');
  await page.getByTestId('unit-layer').selectOption('conv2');
  await page.getByTestId('unit-next').click();
  await expect(inspector).toHaveAttribute('data-unit', '1');
  await expect(inspector).toHaveAttribute('data-step', '10');
  await expect(inspector).toContainText("the largest value of the filter's 14×14 feature map after relu");
  await expect(inspector.getByTestId('unit-vote')).toHaveCount(10);
  await expect(inspector).toContainText('The weights of fc from this filter, summed over its 16 map positions');
  const activations = async (row: string) =>
    await inspector
      .getByTestId(row)
      .getByTestId('unit-image')
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-activation'))));
  const top = await activations('unit-top');
  const bottom = await activations('unit-bottom');
  expect(top).toHaveLength(9);
  expect(top).toEqual([...top].sort((a, b) => b - a));
  expect(Math.min(...top)).toBeGreaterThanOrEqual(Math.max(...bottom));
  // The output layer reads the flattened maps: its heatmap, without tiles.
  await expect(page.getByTestId('output-weights')).toHaveAttribute('data-inputs', '256');
  await expect(page.getByTestId('output-weights')).toHaveAttribute('data-tiled', 'false');
  await shoot(page, 'unit-inspector-conv', testInfo, 1024, 700, 'unit-inspector');
  await shoot(page, 'unit-inspector-conv', testInfo, 1440, 900, 'unit-inspector');
  // A click on the third of the first convolution's filters (5×5, drawn 11× with a 1-pixel gutter) inspects it; it feeds
  // another convolution, not the digits, and says so.
  await openView(page, 'Train');
  await page.getByTestId('filter-atlas').click({ position: { x: 2 * 56 + 27, y: 27 } });
  await openView(page, 'Inspect');
  await expect(inspector).toHaveAttribute('data-layer', 'conv1');
  await expect(inspector).toHaveAttribute('data-unit', '2');
  await expect(inspector.getByTestId('unit-no-votes')).toContainText('not available for this layer: it feeds conv2 (a conv2d)');
});
