// Issue 6: train a little, save the weights (a download), reset, load the file (an upload)
// and see the same test accuracy as before the reset; a bad file changes nothing.
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { openFresh, readNumber, readStep } from './helpers';

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
  // The evaluation after Stop (test figures name their step; an earlier one may be shown until it lands):
  // a trained network is far above chance (10%).
  await expect(accuracy).toHaveAttribute('data-step', String(trainedStep));
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

test('a model of another spec, trained on the command line, loads into the app and trains on', async ({ page }, testInfo) => {
  // Three linear layers with other names than the seed's: nothing in the app may assume l1/l2.
  const spec = {
    input: [784],
    layers: [
      { name: 'fc1', type: 'linear', out: 48 },
      { name: 'a1', type: 'relu' },
      { name: 'fc2', type: 'linear', out: 24 },
      { name: 'a2', type: 'relu' },
      { name: 'fc3', type: 'linear', out: 10 },
    ],
  };
  const specPath = testInfo.outputPath('deep.json');
  const weightsPath = testInfo.outputPath('deep.safetensors');
  writeFileSync(specPath, JSON.stringify(spec));
  execFileSync(process.execPath, ['--import', 'tsx', 'src/main/cli/train.ts', '--arch', specPath, '--steps', '300', '--out', weightsPath], { stdio: 'pipe' });

  await openFresh(page, { evalEvery: 1_000_000 });
  await page.getByTestId('weights-menu').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('weights-load').click();
  await (await chooser).setFiles(weightsPath);
  await expect(page.getByTestId('weights-result')).toContainText('Loaded deep.safetensors — test accuracy');
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '300');

  // The diagram draws the three linear layers with their parameter counts; the tiles are fc1's 48 units.
  await expect(page.getByTestId('params-fc1')).toHaveText('37,680 params');
  await expect(page.getByTestId('params-fc2')).toHaveText('1,176 params');
  await expect(page.getByTestId('params-fc3')).toHaveText('250 params');
  await expect(page.getByTestId('params-total')).toHaveText('39,106');
  await expect(page.getByTestId('weight-tile')).toHaveCount(48);
  await expect(page.getByTestId('hp-model-summary')).toHaveText('5 layers · 39,106 parameters');
  const accuracy = Number.parseFloat((await page.getByTestId('test-accuracy').textContent()) ?? '');
  expect(accuracy).toBeGreaterThan(80);

  await page.getByTestId('train-button').click();
  await expect.poll(() => readStep(page)).toBeGreaterThan(350);
  await page.getByTestId('stop-button').click();
  await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'idle');
  await expect.poll(() => readNumber(page, 'weight-tiles', 'data-weights-step')).toBeGreaterThan(300);

  // A digit runs through it: the hidden units that fire are fc1's (after a1), and a unit votes into fc2.
  await page.getByTestId('sample').first().click();
  await expect(page.getByTestId('active-units')).toContainText('of 48 hidden units fire');
  await page.getByTestId('weight-tile').nth(2).click();
  await expect(page.getByTestId('unit-detail')).toContainText('weights into fc2');
  await page.screenshot({ path: testInfo.outputPath('deep-model.png'), fullPage: true });
  await testInfo.attach('deep-model', { path: testInfo.outputPath('deep-model.png'), contentType: 'image/png' });
});
