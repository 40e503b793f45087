// Issue 13, "Done when": a learner whose machine trains ~15 steps/s sees test accuracy, sample
// guesses and the confusion matrix within 10 s of pressing Train. A web host of its own plays
// that machine: DIGITRAIN_TEST_STEP_DELAY_MS (test only, see src/main/training/testStepDelay.ts)
// adds 60 ms to every step of its training worker (1 s for the queued-request test). It serves
// the renderer the suite built.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { isBlank, openView, readNumber, readStep, tilePixels } from './helpers';

test.use({ trace: 'off' });

const STEP_DELAY_MS = 60;

/** A web host whose training worker takes `delayMs` more for every step; it serves the renderer the suite built. */
async function startSlowHost(delayMs: number): Promise<{ url: string; stop: () => Promise<void> }> {
  const host: ChildProcess = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', '--no-build'], {
    env: { ...process.env, DIGITRAIN_TEST_STEP_DELAY_MS: String(delayMs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the slow host did not start: ${output}`)), 120_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    host.stdout!.on('data', read);
    host.stderr!.on('data', read);
    host.on('exit', (code) => reject(new Error(`the slow host exited (${code}): ${output}`)));
  });
  const stop = async () => {
    if (host.exitCode !== null) return;
    const exited = new Promise((resolve) => host.once('exit', resolve));
    host.kill('SIGTERM');
    await exited;
  };
  return { url, stop };
}

let slow: { url: string; stop: () => Promise<void> } | null = null;
let url = '';

test.beforeAll(async () => {
  slow = await startSlowHost(STEP_DELAY_MS);
  url = slow.url;
});

test.afterAll(async () => {
  await slow?.stop();
});

// This host is new: its first page is a first visit (no Train, no Reset yet).
test("a first visit shows the initial weights in the first layer's tiles at step 0", async ({ page }) => {
  await page.goto(url);
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  await openView(page, 'Train');
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('weight-tiles')).toHaveAttribute('data-weights-step', '0');
  // Random noise, different from tile to tile.
  const first = await tilePixels(page, 0);
  const last = await tilePixels(page, 127);
  expect(isBlank(first)).toBe(false);
  expect(isBlank(last)).toBe(false);
  expect(first).not.toEqual(last);
  expect(await readStep(page)).toBe(0);
});

test('at ~15 steps/s, test accuracy, samples and the confusion matrix show within 10 s of Train', async ({ page }, testInfo) => {
  await page.goto(url);
  const status = page.getByTestId('status');
  await expect(status).toHaveAttribute('data-status', 'idle');
  // The empty panels say what will happen, and when.
  await expect(page.getByTestId('samples-empty')).toContainText('after the first 100 steps (or 3 s of training)');

  await page.getByTestId('train-button').click();
  const pressed = Date.now();
  await expect(status).toHaveAttribute('data-status', 'training');
  const within = { timeout: 10_000 - (Date.now() - pressed) };
  await expect(page.getByTestId('test-accuracy')).toHaveText(/^\d+\.\d\d%$/, within);
  await expect.poll(() => readNumber(page, 'sample-grid', 'data-sample-count'), { timeout: 10_000 - (Date.now() - pressed) }).toBeGreaterThan(0);
  await expect(page.getByTestId('confusion-matrix')).toHaveAttribute('data-total', '10000', { timeout: 10_000 - (Date.now() - pressed) });
  const seenAfter = Date.now() - pressed;
  const step = await readStep(page);
  await page.screenshot({ path: testInfo.outputPath('slow-machine-first-evaluation.png'), fullPage: true });
  // It really was that slow: at most one step per STEP_DELAY_MS.
  expect(step).toBeLessThanOrEqual(Math.ceil(seenAfter / STEP_DELAY_MS) + 1);
  console.log(`[slowMachine.spec] test accuracy, samples and confusion matrix ${(seenAfter / 1000).toFixed(1)} s after Train, at step ${step} (${((step * 1000) / seenAfter).toFixed(1)} steps/s)`);
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
});

// A slower host of its own: a burst of ten steps takes over 10 s, so a request sent behind it always waits, and
// there is time to call one off from the list before the burst ends even on a machine far slower than this one.
test.describe('behind a burst of slow steps', () => {
  const BURST_STEP_DELAY_MS = 1000;
  let slower: { url: string; stop: () => Promise<void> } | null = null;
  test.beforeAll(async () => {
    slower = await startSlowHost(BURST_STEP_DELAY_MS);
  });
  test.afterAll(async () => {
    await slower?.stop();
  });

  test('an inspector request waiting behind the trainer shows as queued, the burst its progress, and the status is never Idle while busy; a queued one can be cancelled', async ({
    page,
  }, testInfo) => {
    await page.goto(slower!.url);
    const status = page.getByTestId('status');
    await expect(status).toHaveAttribute('data-status', 'idle');
    // Watch the status from the page itself, at every change: what the busy list said, and busy with "Idle" never at once.
    await page.evaluate(() => {
      const g = globalThis as unknown as {
        __idleWhileBusy: string[];
        __busySeen: string[];
        document: { querySelector(s: string): { textContent: string | null; getAttribute(n: string): string | null } | null };
        MutationObserver: new (cb: () => void) => { observe(t: unknown, o: unknown): void };
      };
      g.__idleWhileBusy = [];
      g.__busySeen = [];
      const check = () => {
        const listed = g.document.querySelector('[data-testid="busy"]')?.textContent;
        if (listed) g.__busySeen.push(listed);
        const pill = g.document.querySelector('[data-testid="status"]');
        if (pill && pill.getAttribute('data-busy') === 'true' && (pill.textContent ?? '').trim() === 'Idle') g.__idleWhileBusy.push('Idle while busy');
      };
      new g.MutationObserver(check).observe(g.document, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const seen = (pattern: RegExp) => page.evaluate((source) => (globalThis as unknown as { __busySeen: string[] }).__busySeen.some((t) => new RegExp(source).test(t)), pattern.source);

    // Training: a unit picked in the Train view is inspected in the Inspect view while steps run.
    await openView(page, 'Train');
    await page.getByTestId('train-button').click();
    await expect(status).toHaveAttribute('data-status', 'training');
    await page.getByTestId('weight-tile').nth(5).click();
    await openView(page, 'Inspect');
    await expect(page.getByTestId('unit-inspector')).toHaveAttribute('data-unit', '5');
    await expect(page.getByTestId('unit-inspector')).not.toHaveAttribute('data-step', '');
    await page.getByTestId('stop-button').click();
    await expect(status).toHaveAttribute('data-status', 'idle');
    // After Stop the test set is scored: busy, and the pill says so, until the evaluation arrives.
    const stopped = await readStep(page);
    await expect(page.getByTestId('test-accuracy')).toHaveAttribute('data-step', String(stopped));
    await expect(status).toHaveAttribute('data-busy', 'false');

    // Ten steps of over a second each, then another unit: its request waits behind all of them.
    await page.getByTestId('step-burst-button').click();
    await openView(page, 'Train');
    await page.getByTestId('weight-tile').nth(7).click();
    await expect.poll(() => seen(/the unit inspector: queued/)).toBe(true);
    expect(await seen(/10 steps: \d+\/10/)).toBe(true);
    await expect(page.getByTestId('step')).toHaveAttribute('data-step', String(stopped + 10));
    await openView(page, 'Inspect');
    await expect(page.getByTestId('unit-inspector')).toHaveAttribute('data-unit', '7');
    // Answered: no longer listed.
    await expect(page.getByTestId('busy').filter({ hasText: 'the unit inspector' })).toHaveCount(0);
    await expect(status).toHaveText('Idle');

    // Once more, called off from the busy list while it waits: it leaves the list at once, the panel
    // says so and is not asked again, and the status goes back to Idle after the burst.
    await page.getByTestId('step-burst-button').click();
    await openView(page, 'Train');
    await page.getByTestId('weight-tile').nth(9).click();
    // The inspector asks when its view opens.
    await openView(page, 'Inspect');
    const queued = page.getByTestId('busy-item').filter({ hasText: 'the unit inspector: queued' });
    await expect(queued.getByTestId('busy-cancel')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('busy-cancel.png') });
    await queued.getByTestId('busy-cancel').click();
    await expect(page.getByTestId('busy-item').filter({ hasText: 'the unit inspector' })).toHaveCount(0);
    expect(await readStep(page)).toBeLessThan(stopped + 20);
    const inspector = page.getByTestId('unit-inspector');
    await expect(inspector.getByTestId('unit-inspector-cancelled')).toBeVisible();
    await expect(inspector).toHaveAttribute('data-loading', 'false');
    await expect(page.getByTestId('step')).toHaveAttribute('data-step', String(stopped + 20));
    await expect(status).toHaveText('Idle');
    await expect(inspector).toHaveAttribute('data-unit', '');
    await expect(inspector.getByTestId('unit-inspector-cancelled')).toBeVisible();
    // Asked again, it is answered.
    await inspector.getByTestId('unit-inspector-retry').click();
    await expect(inspector).toHaveAttribute('data-unit', '9');
    expect(await page.evaluate(() => (globalThis as unknown as { __idleWhileBusy: string[] }).__idleWhileBusy)).toEqual([]);
  });
});
