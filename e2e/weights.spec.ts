// Issue 6: train a little, save the weights (a download), reset, load the file (an upload)
// and see the same test accuracy as before the reset; a bad file changes nothing.
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { openFresh, readStep } from './helpers';

test('save, reset, load: the same test accuracy; a bad file is refused and changes nothing', async ({ page }, testInfo) => {
  await openFresh(page, { hidden: 32, evalEvery: 1_000_000 });
  const status = page.getByTestId('status');
  const accuracy = page.getByTestId('test-accuracy');

  await page.getByTestId('train-button').click();
  await expect(status).toHaveAttribute('data-status', 'training');
  await expect.poll(() => readStep(page)).toBeGreaterThan(40);
  await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
  const trainedStep = await readStep(page);
  // The evaluation after Stop: a trained network is far above chance (10%).
  await expect(accuracy).toHaveText(/^\d+\.\d\d\s?%$/);
  const trainedAccuracy = (await accuracy.textContent())!.trim();
  expect(parseFloat(trainedAccuracy)).toBeGreaterThan(50);

  await page.getByTestId('weights-menu').click();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('weights-save').click();
  const download = await downloading;
  const savedName = download.suggestedFilename();
  expect(savedName).toBe(`digitrain-32h-step${trainedStep}.safetensors`);
  const savedPath = testInfo.outputPath(savedName);
  await download.saveAs(savedPath);
  await expect(page.getByTestId('weights-result')).toContainText(`Saved ${savedName}`);

  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
  await expect(accuracy).not.toHaveText(trainedAccuracy);

  // A file that is not weights: a clear message, and the fresh model stays.
  const junkPath = testInfo.outputPath('junk.safetensors');
  writeFileSync(junkPath, 'definitely not a safetensors file');
  await page.getByTestId('weights-menu').click();
  const junkChooser = page.waitForEvent('filechooser');
  await page.getByTestId('weights-load').click();
  await (await junkChooser).setFiles(junkPath);
  await expect(page.getByTestId('weights-error')).toContainText('Load failed: ');
  await expect(page.getByTestId('weights-error')).toContainText('not a valid safetensors file');
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');

  await page.getByTestId('weights-menu').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('weights-load').click();
  await (await chooser).setFiles(savedPath);
  await expect(page.getByTestId('weights-result')).toContainText(`Loaded ${savedName} — test accuracy ${trainedAccuracy}`);
  await expect(accuracy).toHaveText(trainedAccuracy);
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', String(trainedStep));

  await page.screenshot({ path: testInfo.outputPath('weights.png'), fullPage: true });
  await testInfo.attach('weights', { path: testInfo.outputPath('weights.png'), contentType: 'image/png' });
});
