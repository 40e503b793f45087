// Issue 24: one screen, one way through. At 1024×700, 1440×900 and 1920×1080 the page never
// scrolls (after load, with each view open, and while training), every view is reached by
// keyboard (arrow keys in the tab list, and each view's digit key), and the draw pad is one
// click away from every view. DIGITRAIN_SHOTS_DIR=<folder> also keeps a screenshot of every
// view at each size, light and dark.
import { expect, test, type Page } from '@playwright/test';
import { openFresh, readStep } from './helpers';

test.use({ trace: 'off' });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
  { width: 1920, height: 1080 },
] as const;
// The tab labels, in order, with their keys (src/renderer/state/workspace.ts).
const VIEWS = ['Train', 'Network', 'Inspect', 'Health', 'Runs', 'Try it', 'How it works'] as const;
const SHOTS = process.env.DIGITRAIN_SHOTS_DIR;

interface Extent {
  scrollHeight: number;
  innerHeight: number;
  scrollWidth: number;
  innerWidth: number;
}

async function extent(page: Page): Promise<Extent> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { document: { documentElement: { scrollHeight: number; scrollWidth: number } }; innerHeight: number; innerWidth: number };
    return { scrollHeight: g.document.documentElement.scrollHeight, innerHeight: g.innerHeight, scrollWidth: g.document.documentElement.scrollWidth, innerWidth: g.innerWidth };
  });
}

async function expectNoPageScroll(page: Page, where: string): Promise<void> {
  const e = await extent(page);
  expect(e.scrollHeight, `${where}: page height`).toBeLessThanOrEqual(e.innerHeight);
  expect(e.scrollWidth, `${where}: page width`).toBeLessThanOrEqual(e.innerWidth);
}

const tab = (page: Page, label: string) => page.getByRole('tab', { name: label, exact: true });

test('the page never scrolls at three sizes, each view is reached by keyboard, the draw pad is one click away', async ({ page }) => {
  test.setTimeout(900_000);
  await page.setViewportSize(SIZES[0]);
  await openFresh(page, { evalEvery: 200 });
  await expect(page.getByRole('tablist')).toBeVisible();
  expect(await page.getByRole('tab').allTextContents()).toHaveLength(VIEWS.length);

  for (const size of SIZES) {
    const at = `${size.width}×${size.height}`;
    await page.setViewportSize(size);
    await expectNoPageScroll(page, `${at} after load`);

    // By keyboard: the first tab focused, then the right arrow through every view.
    await tab(page, 'Train').click();
    await tab(page, 'Train').focus();
    for (const [i, label] of VIEWS.entries()) {
      if (i > 0) await page.keyboard.press('ArrowRight');
      await expect(tab(page, label)).toHaveAttribute('aria-selected', 'true');
      await expect(tab(page, label)).toBeFocused();
      await expect(page.getByRole('tabpanel')).toBeVisible();
      await expectNoPageScroll(page, `${at}, ${label} open`);
      // The draw pad, one click away from here.
      if (label !== 'Try it') {
        await tab(page, 'Try it').click();
        await expect(page.getByTestId('draw-canvas')).toBeVisible();
        await tab(page, label).click();
        await tab(page, label).focus();
      }
    }
    // The right arrow wraps around; Home and End go to the ends.
    await page.keyboard.press('ArrowRight');
    await expect(tab(page, 'Train')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('End');
    await expect(tab(page, 'How it works')).toHaveAttribute('aria-selected', 'true');
    // Each view's digit key, from anywhere outside a text field.
    await page.getByTestId('status').click();
    for (const [i, label] of VIEWS.entries()) {
      await page.keyboard.press(String(i + 1));
      await expect(tab(page, label)).toHaveAttribute('aria-selected', 'true');
    }
    // ...but not while typing in a setting.
    await page.getByTestId('hp-seed').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('2');
    await expect(page.getByTestId('hp-seed')).toHaveValue('02');
    await expect(tab(page, 'How it works')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('Backspace');
    await expect(page.getByTestId('hp-seed')).toHaveValue('0');
    await page.getByTestId('status').click();
  }

  // While training, with each view open.
  await page.getByTestId('train-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'training');
  await expect.poll(() => readStep(page)).toBeGreaterThan(250);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const label of VIEWS) {
      await tab(page, label).click();
      await page.waitForTimeout(300);
      await expectNoPageScroll(page, `${size.width}×${size.height} while training, ${label} open`);
    }
  }
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');

  // The open view survives a reload.
  await tab(page, 'Runs').click();
  await page.reload();
  await expect(tab(page, 'Runs')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('runs-panel')).toBeVisible();

  if (!SHOTS) return;
  const stopped = await readStep(page);
  await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-step', String(stopped));
  // A digit picked, so that the Inspect and Network views have something to show.
  await tab(page, 'Train').click();
  await page.getByTestId('sample').first().click();
  for (const size of SIZES) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize(size);
      await page.emulateMedia({ colorScheme: theme });
      for (const label of VIEWS) {
        await tab(page, label).click();
        await page.waitForTimeout(1500);
        await expectNoPageScroll(page, `${size.width}×${size.height} ${theme}, ${label}`);
        await page.screenshot({ path: `${SHOTS}/${label.replace(/ /g, '-').toLowerCase()}-${size.width}x${size.height}-${theme}.png` });
      }
    }
  }
});

test('the Help menu brings the guide back; its ticks stay after a Reset', async ({ page }) => {
  await openFresh(page);
  const guide = page.getByTestId('first-run-guide');
  if ((await guide.count()) > 0) await page.getByTestId('guide-dismiss').click();
  await expect(guide).toHaveCount(0);
  await page.getByTestId('help-menu').click();
  await page.getByTestId('help-guide').click();
  await expect(guide).toBeVisible();
  await page.getByTestId('step-button').click();
  await expect(page.getByTestId('guide-step-1')).toHaveAttribute('data-done', 'true');
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('guide-step-1')).toHaveAttribute('data-done', 'true');
});
