// Issue 27: one training step as the engine computes it. The mlp's graph stepped forward op by
// op and backward in reverse, one chain-rule line read (and its arithmetic redone), a weight's
// Adam update and the code panel; then the window while training with the graph open.
import { expect, test, type Page } from '@playwright/test';
import { observeLongTasks, openFresh, openHowItWorks, pageNow, readStep, recordAgain, reportLongTasks, setField, traceMainThread } from './helpers';

test.use({ trace: 'off' });

const phase = (page: Page) => page.getByTestId('how-phase');
const node = (page: Page, symbol: string) => page.locator(`[data-testid="graph-node"][data-symbol="${symbol}"]`);

test('steps through the mlp graph forward and backward and reads a chain-rule line', async ({ page }) => {
  await observeLongTasks(page);
  await openFresh(page);
  await page.getByTestId('hp-optimizer').selectOption('adam');
  await setField(page, 'hp-lr', 0.001);
  // A few real steps first, so Adam has moments to show.
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page)).toBeGreaterThan(20);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');

  await openHowItWorks(page);
  await recordAgain(page);
  await expect(phase(page)).toHaveAttribute('data-cursor', '0');
  // The engine's record of the mlp: linear, relu, linear, the loss; the leaves: the digit and four parameters.
  await expect(phase(page)).toHaveAttribute('data-total', '4');
  const ops = page.locator('[data-testid="graph-node"]:not(.how-node-param):not(.how-node-input)');
  await expect(ops).toHaveCount(4);
  expect(await ops.evaluateAll((els) => els.map((el) => el.getAttribute('data-name')))).toEqual(['linear', 'relu', 'linear', 'crossEntropy']);
  await expect(page.locator('.how-node-param')).toHaveCount(4);
  await expect(node(page, 'act')).toHaveAttribute('data-state', 'pending');

  // Forward, op by op: each highlighted as it is computed.
  const next = page.getByTestId('how-next');
  for (const [i, symbol] of ['l1', 'act', 'l2', 'L'].entries()) {
    await next.click();
    await expect(phase(page)).toHaveAttribute('data-cursor', String(i + 1));
    await expect(node(page, symbol)).toHaveAttribute('data-state', 'current');
  }
  await expect(phase(page)).toContainText('Forward 4 of 4');
  await expect(page.getByTestId('node-detail')).toHaveAttribute('data-symbol', 'L');

  // Backward, in reverse: the loss, l2, then the ReLU, whose chain rule we read.
  for (const symbol of ['L', 'l2', 'act']) {
    await next.click();
    await expect(node(page, symbol)).toHaveAttribute('data-state', 'current');
  }
  await expect(phase(page)).toContainText('Backward 3 of 4');
  const line = (await page.getByTestId('chain-rule').first().textContent()) ?? '';
  const match = /^∂L\/∂l1\[(\d+)\] = ∂L\/∂act\[(\d+)\] · relu′\(l1\[(\d+)\]\) = (\S+) · (\d) = (\S+)$/.exec(line.trim());
  expect(match, line).not.toBeNull();
  const [, k1, k2, k3, g, local, value] = match!;
  expect(k1).toBe(k2);
  expect(k2).toBe(k3);
  expect(Number(local)).toBe(1);
  expect(Math.abs(Number(g) * Number(local) - Number(value))).toBeLessThanOrEqual(1e-3 * Math.abs(Number(value)));
  // The code behind it: the engine's relu and its backward, beside PyTorch's line.
  await expect(page.getByTestId('pytorch-line')).toContainText('F.relu(x)');
  await expect(page.getByTestId('code-panel')).toContainText('export function relu(');
  await expect(page.getByTestId('code-panel')).toContainText('reluGrad');

  // Back one: l2 again; to the end: l1's backward, the weights' gradients known.
  await page.getByTestId('how-back').click();
  await expect(node(page, 'l2')).toHaveAttribute('data-state', 'current');
  await page.getByTestId('how-end').click();
  await expect(phase(page)).toContainText('Backward 4 of 4');
  await node(page, 'l1.weight').click();
  const update = page.getByTestId('weight-update');
  await expect(update).toContainText('adam update of l1.weight');
  await expect(update).toContainText('m̂');
  await expect(update).toContainText('w′');
  await expect(page.getByTestId('pytorch-line')).toContainText('torch.optim.Adam');
});

test('the window stays responsive while training with the graph open', async ({ page }) => {
  await observeLongTasks(page);
  await openFresh(page);
  await openHowItWorks(page);
  await page.getByTestId('how-end').click();
  await page.getByTestId('how-end').click();
  await expect(phase(page)).toHaveAttribute('data-phase', 'backward');
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page)).toBeGreaterThan(10);
  await page.waitForTimeout(1000);
  const stopTrace = await traceMainThread(page);
  const from = await pageNow(page);
  const stepAt = await readStep(page);
  // The learner keeps stepping and re-recording while it trains: each answer comes.
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('how-start').click();
    await expect(phase(page)).toHaveAttribute('data-cursor', '0');
    await recordAgain(page);
    await page.getByTestId('how-next').click();
    await expect(phase(page)).toHaveAttribute('data-cursor', '1');
    await page.waitForTimeout(1000);
  }
  await expect.poll(() => readStep(page)).toBeGreaterThan(stepAt + 50);
  const to = await pageNow(page);
  const trace = await stopTrace();
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  await reportLongTasks(page, 'howItWorks.spec, graph open while training', from, to, trace);
});
