// Issue 26, point 2: the editor shows what a network costs before Train — the memory of a
// training step at the batch size and the time a step takes at this machine's measured speed —
// for every preset, and says where a network over the budget goes over (Reset and Train wait).
// PyTorch's own MNIST example (the pytorch-example preset) trains and is evaluated at batch 64.
// Screenshots of each go to the test's output folder, and to $DIGITRAIN_SHOTS when it is set.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { openFresh, openView, readStep, setField } from './helpers';

test.use({ trace: 'off' });

const SIZES = [
  { width: 1024, height: 700 },
  { width: 1440, height: 900 },
] as const;
const PRESETS = ['mlp', 'deep-mlp', 'cnn', 'lenet', 'pytorch-example'];

async function shots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.getByTestId('editor-cost').scrollIntoViewIfNeeded();
    const path = testInfo.outputPath(`${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path });
    const dir = process.env.DIGITRAIN_SHOTS;
    if (dir) copyFileSync(path, join(dir, `${name}-${size.width}x${size.height}.png`));
  }
}

const card = (page: Page, name: string) => page.locator(`[data-testid="layer-card"][data-layer="${name}"]`);

async function setLayer(page: Page, layer: string, setting: string, value: number): Promise<void> {
  const field = card(page, layer).getByTestId(`setting-${setting}`);
  await field.fill(String(value));
  await field.blur();
}

test('the editor shows memory and time per step; pytorch-example trains and evaluates at batch 64; a network over budget is refused at its layer', async ({ page }, testInfo) => {
  test.setTimeout(2_400_000);
  await openFresh(page);
  // This machine's speed is measured while training: a few seconds of the default MLP.
  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page), { timeout: 120_000 }).toBeGreaterThan(100);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');

  await openView(page, 'Network');
  await page.getByTestId('hp-edit-layers').click();
  for (const name of PRESETS) {
    await page.getByTestId('hp-preset').selectOption(name);
    await expect(page.getByTestId('editor-cost-memory')).toHaveText(/^[\d.,]+ (KiB|MiB)$/);
    await expect(page.getByTestId('editor-cost-time')).toContainText(/≈ [\d.,]+ (µs|ms|s) per step at this machine's [\d.,]+ [GMk]FLOP\/s/);
    await expect(page.getByTestId('editor-cost-problem')).toHaveCount(0);
    await shots(page, testInfo, `editor-cost-${name}`);
  }

  // Over the budget at this batch size: the step's memory in red, the layer where it goes over, Train waits.
  await setField(page, 'hp-batch', 4096);
  await expect(page.getByTestId('editor-cost-problem')).toContainText(/^layer "relu1" \(relu\): a training step at batch 4096 needs [\d.,]+ GiB of activations and gradients up to this layer/);
  await expect(page.getByTestId('train-button')).toBeDisabled();
  await shots(page, testInfo, 'editor-cost-over-budget-batch');

  // A network over the operations per image: padded convolutions on a growing image.
  await setField(page, 'hp-batch', 64);
  await setLayer(page, 'conv1', 'out', 256);
  await setLayer(page, 'conv1', 'padding', 14);
  await setLayer(page, 'conv2', 'padding', 14);
  await setLayer(page, 'pool', 'kernel', 20);
  await setLayer(page, 'pool', 'stride', 20);
  await expect(page.getByTestId('editor-model-problem')).toContainText(/^layer "conv2" \(conv2d\): one image needs [\d.]+ GFLOP up to this layer/);
  await expect(page.getByTestId('editor-cost-memory')).toBeVisible();
  await expect(page.getByTestId('reset-button')).toBeDisabled();
  await shots(page, testInfo, 'editor-cost-over-budget-spec');

  // PyTorch's example at batch 64, in the app: Reset, a few steps, and an evaluation of the test set.
  await page.getByTestId('hp-preset').selectOption('pytorch-example');
  await setField(page, 'hp-batch', 64);
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(page.getByTestId('needs-reset')).toHaveCount(0);
  // Two single steps (a step is ~5 GFLOP; Train would also score the test set after 3 s, ~240 GFLOP),
  // then the evaluation that follows them: generous budgets for a machine ten times slower.
  await page.getByTestId('step-button').click();
  await expect.poll(() => readStep(page), { timeout: 600_000 }).toBe(1);
  await page.getByTestId('step-button').click();
  await expect.poll(() => readStep(page), { timeout: 600_000 }).toBe(2);
  await openView(page, 'Train');
  await expect(page.getByTestId('test-accuracy')).toHaveText(/\d/, { timeout: 1_200_000 });
});
