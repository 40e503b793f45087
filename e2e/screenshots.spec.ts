// Issue 13: the screenshots that show items 8, 10–13 and 17, at the sizes a learner used
// (1024×700 — the smallest supported —, 1440×900, 1920×1080), in the light and the dark
// theme, reached by mouse and by keyboard. They are written to this test's output folder
// (test-results/…/), named <what>-<width>x<height>-<theme>.png.
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { encodePng } from '../tests/preprocess/encode';
import { openFresh, openView, readStep } from './helpers';

test.use({ trace: 'off' });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;
const THEMES = ['light', 'dark'] as const;

async function shot(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean; target?: ReturnType<Page['getByTestId']> } = {}): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // The sticky top bar would lie over the top of an element scrolled to the window's top edge.
  if (options.target) await options.target.screenshot({ path, style: '.topbar { position: static !important; }' });
  else await page.screenshot({ path, fullPage: options.fullPage ?? false });
}

function picture(width: number, height: number, paint: (x: number, y: number) => number[]): Buffer {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(paint(x, y), (y * width + x) * 4);
  return Buffer.from(encodePng({ width, height, data }));
}

test('issue 13 screenshots: three sizes, light and dark, by mouse and by keyboard', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
  await page.setViewportSize(SIZES[0]);
  await openFresh(page, { evalEvery: 100 });

  // Item 8 and 12, before the first step: the guide, and the panels saying when the test set will be scored.
  for (const size of SIZES) {
    for (const theme of THEMES) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await shot(page, testInfo, `start-${size.width}x${size.height}-${theme}`, { fullPage: true });
    }
  }

  await page.setViewportSize(SIZES[1]);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page), { timeout: 300_000 }).toBeGreaterThanOrEqual(300);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');

  // Item 13: a blue rectangle and a shaded photo of a faint "4", dropped; the rectangle followed into the network view.
  let seed = 1;
  const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 30;
  const stroke = (x: number, y: number) => (x > 90 && x < 96 && y > 20 && y < 100) || (y > 60 && y < 66 && x > 60 && x < 110) || (x > 62 && x < 68 && y > 20 && y < 64);
  await openView(page, 'Try it');
  await page.getByTestId('drop-input').setInputFiles([
    {
      name: 'photo-of-a-4.png',
      mimeType: 'image/png',
      buffer: picture(200, 120, (x, y) => {
        const v = 170 + 60 * (x / 200) - 40 * (y / 120) + noise() - (stroke(x, y) ? 70 : 0);
        return [v, v, v, 255];
      }),
    },
    { name: 'blue-rectangle.png', mimeType: 'image/png', buffer: picture(200, 120, (x, y) => (x > 30 && x < 170 && y > 20 && y < 100 ? [40, 80, 220, 255] : [255, 255, 255, 255])) },
  ]);
  const rectangle = page.locator('[data-testid="classify-result"][data-file="blue-rectangle.png"]');
  await expect(rectangle.getByTestId('digit-concern')).toBeVisible();
  await expect(page.locator('[data-testid="classify-result"][data-file="photo-of-a-4.png"]').getByTestId('digit-concern')).toBeVisible();
  await rectangle.getByTitle('Show in the network view').click();
  await expect(page.getByTestId('prediction').getByTestId('digit-concern')).toBeVisible();

  for (const size of SIZES) {
    for (const theme of THEMES) {
      const tag = `${size.width}x${size.height}-${theme}`;
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      await openView(page, 'Train');
      await page.locator('.rail-body').evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      // Items 10, 12, 17: the whole page after training (guide ticked, panels with their sentences, both themes).
      await shot(page, testInfo, `trained-${tag}`);
      await shot(page, testInfo, `trained-full-${tag}`, { fullPage: true });

      // Item 11, by mouse: a setting's tooltip from the registry.
      await page.getByTestId('hp-lr').hover();
      await expect(page.getByTestId('hp-lr-help')).toBeVisible();
      await shot(page, testInfo, `tooltip-learning-rate-${tag}`, { target: page.getByTestId('hyperparameters') });
      await page.mouse.move(0, 0);

      // Item 10, by keyboard: the network panel's "?" opened with Enter; the loss chart's by mouse.
      await page.getByTestId('explain-network').focus();
      await page.keyboard.press('Enter');
      await expect(page.getByRole('region', { name: 'Network' })).toBeVisible();
      await shot(page, testInfo, `explain-network-${tag}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('explain-confusion').click();
      await expect(page.getByRole('region', { name: 'Confusion matrix' })).toBeVisible();
      await shot(page, testInfo, `explain-confusion-${tag}`, { target: page.getByTestId('confusion-matrix') });
      await page.keyboard.press('Escape');

      // Item 13: the dropped shape called a guess, in its card (Try it) and in the network view (Train).
      await openView(page, 'Try it');
      await shot(page, testInfo, `not-a-digit-${tag}`, { target: page.getByTestId('drop-zone') });
      await openView(page, 'Train');
      await shot(page, testInfo, `network-not-a-digit-${tag}`, { target: page.getByTestId('network-view') });

      // Item 9 and 17: the charts, with the tooltip by mouse.
      const pointer = page.getByTestId('loss-pointer');
      await pointer.scrollIntoViewIfNeeded();
      const box = (await pointer.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
      await expect(page.getByTestId('chart-tooltip')).toBeVisible();
      await shot(page, testInfo, `chart-tooltip-${tag}`, { target: page.getByTestId('loss-chart') });
      await page.mouse.move(0, 0);
      await shot(page, testInfo, `evaluation-${tag}`, { target: page.getByTestId('confusion-matrix') });
      await shot(page, testInfo, `samples-${tag}`, { target: page.getByTestId('sample-grid') });
    }
  }
});
