// Shared steps of the e2e specs: reach a fresh, idle trainer; read the numbers the UI exposes as data attributes.
import { expect, test, type Page } from '@playwright/test';

export async function readNumber(page: Page, testId: string, attribute: string): Promise<number> {
  const raw = await page.getByTestId(testId).getAttribute(attribute);
  return raw === null || raw === '' ? NaN : Number(raw);
}

export const readStep = (page: Page) => readNumber(page, 'step', 'data-step');

export async function setField(page: Page, testId: string, value: string | number): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

/**
 * Opens the app and brings the shared trainer to a fresh idle model with these settings
 * (other specs may have left it trained, or still training).
 */
export async function openFresh(page: Page, settings: { hidden?: number; evalEvery?: number; seed?: number } = {}): Promise<void> {
  await page.goto('/');
  const status = page.getByTestId('status');
  await expect(status).not.toHaveAttribute('data-status', 'connecting');
  if ((await status.getAttribute('data-status')) === 'training') await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
  await setField(page, 'hp-hidden', settings.hidden ?? 128);
  await setField(page, 'hp-seed', settings.seed ?? 0);
  await setField(page, 'hp-eval-every', settings.evalEvery ?? 1000);
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('needs-reset')).toHaveCount(0);
  await expect(page.getByTestId('train-button')).toBeEnabled();
}

/** The browser globals the long-task probe uses (this file is type-checked without the DOM library). */
interface ProbeGlobals {
  __longTasks: LongTask[];
  performance: { now(): number };
  PerformanceObserver: new (callback: (list: { getEntries(): LongTask[] }) => void) => {
    observe(options: { type: string; buffered: boolean }): void;
  };
}

/** Collects the page's long tasks (PerformanceObserver 'longtask') from the first script on. */
export async function observeLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const g = globalThis as unknown as ProbeGlobals;
    g.__longTasks = [];
    new g.PerformanceObserver((list) => {
      for (const { startTime, duration } of list.getEntries()) g.__longTasks.push({ startTime, duration });
    }).observe({ type: 'longtask', buffered: true });
  });
}

export interface LongTask {
  startTime: number;
  duration: number;
}

/** The page clock (ms since navigation), to tell page-load tasks from those while training. */
export async function pageNow(page: Page): Promise<number> {
  return page.evaluate(() => (globalThis as unknown as ProbeGlobals).performance.now());
}

/**
 * Long tasks in [from, to) (page clock) — training with the UI left alone, not page load or the
 * test's own screenshots — summarised for the report; returns the worst.
 */
export async function reportLongTasks(page: Page, label: string, from: number, to: number): Promise<number> {
  const all = await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__longTasks.slice());
  const during = all.filter((t) => t.startTime >= from && t.startTime < to);
  const worst = during.length ? Math.max(...during.map((t) => t.duration)) : 0;
  const seconds = ((to - from) / 1000).toFixed(1);
  // When each one began (seconds after Train) tells start-up work from steady training.
  const when = during.map((t) => `${t.duration.toFixed(0)} ms at +${((t.startTime - from) / 1000).toFixed(2)} s`).join(', ');
  const line =
    `${during.length} long tasks in ${seconds} s of training, worst ${worst.toFixed(0)} ms` +
    `${when ? ` (${when})` : ''}; ${all.length} in the whole test`;
  console.log(`[${label}] ${line}`);
  test.info().annotations.push({ type: 'long tasks', description: line });
  return worst;
}
