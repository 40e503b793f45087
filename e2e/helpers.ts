// Shared steps of the e2e specs: reach a fresh, idle trainer; read the numbers the UI exposes as data attributes.
import { expect, test, type Page } from '@playwright/test';

export async function readNumber(page: Page, testId: string, attribute: string): Promise<number> {
  const raw = await page.getByTestId(testId).getAttribute(attribute);
  return raw === null || raw === '' ? NaN : Number(raw);
}

export const readStep = (page: Page) => readNumber(page, 'step', 'data-step');

/**
 * Waits until `condition` holds while training runs: on the run, not on the clock. As long as the
 * step keeps moving it waits, however slowly it moves (a loaded machine runs the trainer many
 * times slower than a quiet one; only the test's own timeout bounds it); it fails if the step
 * stands still for `stallMs` (a hang, not a slow machine; an evaluation of a CNN takes seconds).
 */
export async function waitWhileTraining(page: Page, condition: () => Promise<boolean>, what: string, stallMs = 180_000): Promise<void> {
  let step = await readStep(page);
  let movedAt = Date.now();
  while (!(await condition())) {
    const now = await readStep(page);
    if (now !== step) {
      step = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt > stallMs) throw new Error(`waiting for ${what}: the step stood at ${step} for ${stallMs / 1000} s`);
    await page.waitForTimeout(500);
  }
}

export async function setField(page: Page, testId: string, value: string | number): Promise<void> {
  const input = page.getByTestId(testId);
  await input.fill(String(value));
  await input.blur();
}

const acceptingDialogs = new WeakSet<Page>();

/**
 * Opens the app and brings the shared trainer to a fresh idle model with these settings
 * (other specs may have left it trained, or still training).
 */
export async function openFresh(page: Page, settings: { hidden?: number; evalEvery?: number; seed?: number } = {}): Promise<void> {
  // Choosing a preset over an edited network asks first (issue 25): the specs mean it.
  if (!acceptingDialogs.has(page)) {
    acceptingDialogs.add(page);
    page.on('dialog', (dialog) => void dialog.accept());
  }
  await page.goto('/');
  const status = page.getByTestId('status');
  await expect(status).not.toHaveAttribute('data-status', 'connecting');
  if ((await status.getAttribute('data-status')) === 'training') await page.getByTestId('stop-button').click();
  // A run that diverged (insight.spec) stands in 'error' until the Reset below.
  await expect(status).toHaveAttribute('data-status', /^(idle|error)$/);
  // Another spec test (or a loaded file) may have left other layers: back to the default model, whose width the field sets.
  await page.getByTestId('hp-preset').selectOption('mlp');
  await setField(page, 'hp-hidden', settings.hidden ?? 128);
  await setField(page, 'hp-seed', settings.seed ?? 0);
  await setField(page, 'hp-eval-every', settings.evalEvery ?? 1000);
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  // The Reset has landed (the first one loads MNIST in the worker): the trainer runs with the fields' settings.
  await expect(page.getByTestId('hyper-hint')).toContainText('The trainer runs with these settings');
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

/** What Chromium's trace says of the page's main thread: how much CPU its tasks really used. */
export interface MainThreadTrace {
  /** Tasks that took over 50 ms of wall time, with the CPU time they used (ms). */
  long: { wallMs: number; cpuMs: number }[];
  /** The most CPU time any one task used (ms). */
  maxCpuMs: number;
}

/**
 * Starts Chromium's tracing of the page (categories with every task's wall and CPU time) and
 * returns the function that stops it. A task's wall time counts the time its thread waited for
 * a core: on a small machine busy with training a 20 ms redraw can last 60 ms. The CPU time
 * is the cost of the work itself. Null where the browser cannot trace (e.g. Electron).
 */
export async function traceMainThread(page: Page): Promise<() => Promise<MainThreadTrace | null>> {
  const browser = page.context().browser();
  if (!browser || browser.browserType().name() !== 'chromium') return async () => null;
  await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  return async () => summariseTrace(JSON.parse((await browser.stopTracing()).toString('utf8')));
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

function summariseTrace(trace: { traceEvents?: TraceEvent[] } | TraceEvent[]): MainThreadTrace {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const mainThreads = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  // The page's renderer is the busiest one (headless Chromium may run another for its own UI).
  const busy = new Map<string, number>();
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mainThreads.has(`${e.pid}:${e.tid}`));
  for (const e of tasks) busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + (e.dur ?? 0));
  const page = [...busy.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const ours = tasks.filter((e) => `${e.pid}:${e.tid}` === page);
  return {
    long: ours.filter((e) => (e.dur ?? 0) > 50_000).map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 })),
    maxCpuMs: Math.max(0, ...ours.map((e) => (e.tdur ?? 0) / 1000)),
  };
}

/**
 * Long tasks in [from, to) (page clock) — training with the UI left alone, not page load or the
 * test's own screenshots — summarised for the report, with the trace's view of the same window
 * when there is one; returns the worst.
 */
export async function reportLongTasks(page: Page, label: string, from: number, to: number, trace: MainThreadTrace | null = null): Promise<number> {
  const all = await page.evaluate(() => (globalThis as unknown as ProbeGlobals).__longTasks.slice());
  const during = all.filter((t) => t.startTime >= from && t.startTime < to);
  const worst = during.length ? Math.max(...during.map((t) => t.duration)) : 0;
  const seconds = ((to - from) / 1000).toFixed(1);
  // When each one began (seconds after Train) tells start-up work from steady training.
  const when = during.map((t) => `${t.duration.toFixed(0)} ms at +${((t.startTime - from) / 1000).toFixed(2)} s`).join(', ');
  const traced = trace
    ? `; traced: ${trace.long.length} tasks over 50 ms${trace.long.length ? ` (${trace.long.map((t) => `${t.wallMs.toFixed(0)} ms using ${t.cpuMs.toFixed(0)} ms of CPU`).join(', ')})` : ''}, ` +
      `the most CPU any task used ${trace.maxCpuMs.toFixed(0)} ms`
    : '';
  const line = `${during.length} long tasks in ${seconds} s of training, worst ${worst.toFixed(0)} ms` + `${when ? ` (${when})` : ''}; ${all.length} in the whole test${traced}`;
  console.log(`[${label}] ${line}`);
  test.info().annotations.push({ type: 'long tasks', description: line });
  return worst;
}

/** The pixels of one unit's tile, as the page drew them on the weights atlas (28×28 tiles, 1-pixel gutter). */
export async function tilePixels(page: Page, unit: number): Promise<number[]> {
  return page.getByTestId('weight-atlas').evaluate((element, unit) => {
    // Typed by hand: the e2e files are checked without the DOM library.
    const canvas = element as unknown as {
      dataset: { columns?: string };
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
    };
    const columns = Number(canvas.dataset.columns);
    const ctx = canvas.getContext('2d');
    return ctx ? Array.from(ctx.getImageData((unit % columns) * 29, Math.floor(unit / columns) * 29, 28, 28).data) : [];
  }, unit);
}

export function isBlank(rgba: number[]): boolean {
  // Blank = every pixel the same colour (an undrawn canvas is all transparent, an all-zero tile all white).
  for (let i = 4; i < rgba.length; i += 4) {
    if (rgba[i] !== rgba[0] || rgba[i + 1] !== rgba[1] || rgba[i + 2] !== rgba[2] || rgba[i + 3] !== rgba[3]) return false;
  }
  return true;
}

/**
 * Opens a view of the workspace by its tab (issue 24: Train, Network, Inspect, Health, Runs, Try it, How it works).
 * Specs call it before they touch a panel, so they do not depend on which view happens to be open.
 */
export async function openView(page: Page, label: string): Promise<void> {
  const tab = page.getByRole('tab', { name: label, exact: true });
  if ((await tab.count()) === 0) return; // the page before the workspace: every panel is on it
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/** Opens "How it works": its tab once the workspace has tabs, the collapsible section before. */
export async function openHowItWorks(page: Page): Promise<void> {
  await openView(page, 'How it works');
  const toggle = page.getByTestId('how-toggle');
  if ((await toggle.count()) > 0 && (await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await expect(page.getByTestId('step-graph')).toBeVisible();
}

/** Presses Record again and waits for the new recording itself (it resets the cursor), not for the
 * button: under load the button can read enabled before its click has even rendered. */
export async function recordAgain(page: Page): Promise<void> {
  const view = page.getByTestId('how-view');
  await expect(page.getByTestId('how-refresh')).toBeEnabled();
  const before = Number(await view.getAttribute('data-recordings'));
  await page.getByTestId('how-refresh').click();
  await expect.poll(async () => Number(await view.getAttribute('data-recordings'))).toBeGreaterThan(before);
}
