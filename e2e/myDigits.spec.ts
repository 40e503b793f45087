// Issue 17, your own handwriting: five digits drawn and labelled are kept in "My digits", the
// model's accuracy on them is shown beside the test accuracy, and with mixing on, training for
// 200 steps measures them again (shown and recomputed; whether it rises is the learner's to
// see). The set exports as a folder of PNGs and labels.csv, and that folder imports back.
import { existsSync, readdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { restoreExperimentSettings } from './experimentSettings';
import { openFresh, openView, readNumber, readStep, setField } from './helpers';

test.afterAll(async ({ browser }) => restoreExperimentSettings(await browser.newPage({ baseURL: test.info().project.use.baseURL })));

/** One stroke through these points, in the draw pad's own 196×196 coordinates. */
async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = await page.getByTestId('draw-canvas').boundingBox();
  if (!box) throw new Error('the draw pad is not visible');
  const at = ([x, y]: [number, number]) => [box.x + (x / 196) * box.width, box.y + (y / 196) * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    // In small moves, as a hand would.
    for (let k = 1; k <= 3; k++) await page.mouse.move(...at([x0 + ((x1 - x0) * k) / 3, y0 + ((y1 - y0) * k) / 3]));
  }
  await page.mouse.up();
}

const circle = (cx: number, cy: number, rx: number, ry: number): [number, number][] =>
  Array.from({ length: 25 }, (_, i) => [cx + rx * Math.sin((i / 24) * 2 * Math.PI), cy - ry * Math.cos((i / 24) * 2 * Math.PI)]);

const DRAWINGS: { label: number; points: [number, number][] }[] = [
  {
    label: 1,
    points: [
      [100, 30],
      [98, 100],
      [96, 168],
    ],
  },
  { label: 0, points: circle(98, 98, 45, 68) },
  {
    label: 7,
    points: [
      [45, 40],
      [150, 40],
      [85, 170],
    ],
  },
  {
    label: 4,
    points: [
      [120, 30],
      [50, 120],
      [155, 120],
      [125, 120],
      [125, 30],
      [125, 170],
    ],
  },
  {
    label: 2,
    points: [
      [50, 60],
      [80, 30],
      [130, 35],
      [140, 80],
      [55, 165],
      [150, 165],
    ],
  },
];

test('label five drawn digits, see their accuracy, mix them in, train 200 steps: the accuracy is measured again', async ({ page }) => {
  await openFresh(page, { hidden: 32, evalEvery: 100 });
  await openView(page, 'Try it');
  const panel = page.getByTestId('my-digits');
  const before = Number(await panel.getAttribute('data-count'));
  await page.getByTestId('draw-canvas').scrollIntoViewIfNeeded();
  for (const [i, { label, points }] of DRAWINGS.entries()) {
    if (await page.getByTestId('draw-clear').isEnabled()) await page.getByTestId('draw-clear').click();
    await stroke(page, points);
    const result = page.getByTestId('draw-result');
    await expect(result).toBeVisible();
    await result.getByTestId(`keep-as-${label}`).click();
    await expect(panel).toHaveAttribute('data-count', String(before + i + 1));
  }
  await expect(panel.getByTestId('my-digit')).toHaveCount(before + DRAWINGS.length);
  await expect(panel.locator('[data-testid=my-digit][data-label="7"]').first()).toBeVisible();

  // Measured on the weights of now (step 0), shown as "k of n right".
  const accuracy = page.getByTestId('my-digits-accuracy');
  await expect(accuracy).toHaveAttribute('data-step', '0');
  await expect(accuracy).toContainText(`of ${before + DRAWINGS.length} right`);
  const correctBefore = Number(await accuracy.getAttribute('data-correct'));
  expect(correctBefore).toBeGreaterThanOrEqual(0);
  // Each digit says what the model reads it as; the wrong ones are marked.
  const wrongShown = await panel.locator('.my-digit-wrong').count();
  const mismatched = await panel.getByTestId('my-digit').evaluateAll((items) => items.filter((i) => i.getAttribute('data-predicted') !== i.getAttribute('data-label')).length);
  expect(wrongShown).toBe(mismatched);

  await page.getByTestId('hp-mix-my-digits').check();
  await setField(page, 'hp-mix-share', '0.25');
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page), { timeout: 180_000 }).toBeGreaterThanOrEqual(200);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  const stopped = await readStep(page);
  // Measured again on the trained weights: the step it names is where training stopped.
  await expect(accuracy).toHaveAttribute('data-step', String(stopped));
  await expect(accuracy).toContainText(`of ${before + DRAWINGS.length} right`);
  await expect(accuracy).toContainText(/test set \d+\.\d%/);
  expect(await readNumber(page, 'my-digits-accuracy', 'data-correct')).toBeGreaterThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('my-digits.png'), fullPage: true });

  // Export: a folder of PNGs and labels.csv (the web host makes it in its data folder and says where).
  await page.getByTestId('my-digits-export').click();
  const message = page.getByTestId('my-digits-message');
  await expect(message).toContainText('Exported to ');
  const folder = ((await message.textContent()) ?? '')
    .replace(/^.*Exported to /, '')
    .replace(/×$/, '')
    .trim();
  expect(existsSync(folder)).toBe(true);
  expect(readdirSync(folder)).toContain('labels.csv');
  expect(readdirSync(folder).filter((name) => name.endsWith('.png'))).toHaveLength(before + DRAWINGS.length);
  // …and back in: the same digits again, labels and all.
  await page.getByTestId('my-digits-folder').setInputFiles(folder);
  await expect(message).toContainText(`Imported ${before + DRAWINGS.length} digit(s).`);
  await expect(panel).toHaveAttribute('data-count', String(2 * (before + DRAWINGS.length)));
  const labels = await panel.getByTestId('my-digit').evaluateAll((items) => items.map((i) => i.getAttribute('data-label')));
  expect(labels.slice(labels.length / 2)).toEqual(labels.slice(0, labels.length / 2));
});
