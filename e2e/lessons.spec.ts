// Issue 27: lesson 1 walked end to end (each check ticks from what the learner does, no button),
// every lesson opened from Help ▸ Lessons, and the screenshots of the step graph (mlp and cnn,
// forward and backward), the code panel and each lesson's first screen at 1440×900 and 1024×700.
import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { openFresh, openHowItWorks } from './helpers';

test.use({ trace: 'off' });

// Where the screenshots go: the run's output folder, or DIGITRAIN_SHOTS_DIR to keep them (the notes' shots/i27).
const SHOTS = process.env.DIGITRAIN_SHOTS_DIR ?? 'test-results/shots';
const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
];

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SHOTS}/${name}-${size.width}x${size.height}.png` });
  }
}

const check = (page: Page, id: string) => page.locator(`[data-testid="lesson-check"][data-check="${id}"]`);

test('lesson 1 walked end to end, every lesson opens', async ({ page }) => {
  await openFresh(page);
  await page.getByTestId('lessons-menu').click();
  await expect(page.getByTestId('lesson-item')).toHaveCount(8);
  await page.locator('[data-testid="lesson-item"][data-lesson="one-step"]').click();
  const card = page.getByTestId('lesson-card');
  await expect(card).toHaveAttribute('data-lesson', 'one-step');
  // The lesson opens the view it talks about.
  await openHowItWorks(page);
  await expect(page.getByTestId('how-phase')).toHaveAttribute('data-cursor', '0');
  for (const id of ['forward', 'backward', 'update', 'step']) await expect(check(page, id)).toHaveAttribute('data-done', 'false');

  await page.getByTestId('how-end').click();
  await expect(check(page, 'forward')).toHaveAttribute('data-done', 'true');
  // Folded to one line, the card leaves the view whole and still ticks.
  await page.getByTestId('lesson-fold').click();
  await expect(card).toHaveAttribute('data-folded', 'true');
  expect((await card.boundingBox())!.height).toBeLessThan(60);
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^1 of 4/);
  await page.getByTestId('how-end').click();
  await expect(page.getByTestId('lesson-progress')).toHaveText(/^2 of 4/);
  await page.getByTestId('lesson-fold').click();
  await expect(card).toHaveAttribute('data-folded', 'false');
  await expect(check(page, 'backward')).toHaveAttribute('data-done', 'true');
  await page.locator('[data-testid="graph-node"][data-symbol="l1.weight"]').click();
  await expect(check(page, 'update')).toHaveAttribute('data-done', 'true');
  await page.getByTestId('step-button').click();
  await expect(check(page, 'step')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('lesson-complete')).toBeVisible();

  // Progress survives a reload; lesson 1 shows as done in the menu.
  await page.reload();
  await page.getByTestId('lessons-menu').click();
  await expect(page.locator('[data-testid="lesson-item"][data-lesson="one-step"]')).toHaveAttribute('data-done', 'true');

  // Every lesson opens (and can be opened again), each with its checks.
  const ids = await page.getByTestId('lesson-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-lesson')!));
  await page.getByTestId('lessons-menu').click(); // closes the menu; each pass below opens it
  for (const [i, id] of ids.entries()) {
    await page.getByTestId('lessons-menu').click();
    await page.locator(`[data-testid="lesson-item"][data-lesson="${id}"]`).click();
    await expect(card).toHaveAttribute('data-lesson', id);
    await expect(page.getByTestId('lesson-check').first()).toBeVisible();
    // Under 120 words: the goal, what to do and what to look at.
    const words = (await page.getByTestId('lesson-text').allTextContents()).join(' ').split(/\s+/).filter(Boolean).length;
    expect(words).toBeLessThan(120);
    expect(words).toBeGreaterThan(20);
    await shoot(page, `lesson-${i + 1}-${id}`);
    await page.setViewportSize(SIZES[0]);
  }
  await page.getByTestId('lesson-close').click();
  await expect(card).toHaveCount(0);
});
