// The specs share one trainer: the experiment specs put its settings back to the defaults
// afterwards (constant schedule, no mixing, no early stopping, no label smoothing, lr 0.001),
// whatever happened in the test, so the specs after them train as they expect.
import { expect, type Page } from '@playwright/test';
import { openView, setField } from './helpers';

export async function restoreExperimentSettings(page: Page): Promise<void> {
  try {
    await restore(page);
  } finally {
    await page.close();
  }
}

async function restore(page: Page): Promise<void> {
  await page.goto('/');
  const status = page.getByTestId('status');
  await expect(status).not.toHaveAttribute('data-status', 'connecting');
  if ((await status.getAttribute('data-status')) === 'training') await page.getByTestId('stop-button').click();
  await expect(status).toHaveAttribute('data-status', 'idle');
  await page.getByTestId('hp-schedule').selectOption('constant');
  await setField(page, 'hp-lr', '0.001');
  await setField(page, 'hp-label-smoothing', '0');
  const early = page.getByTestId('hp-early-stopping');
  if (await early.isChecked()) await early.uncheck();
  // Mixing is set where the digits are: in Try it (the reloaded page opens the view the test left open).
  await openView(page, 'Try it');
  const mix = page.getByTestId('hp-mix-my-digits');
  if (await mix.isChecked()) await mix.uncheck();
  await page.getByTestId('reset-button').click();
  await expect(page.getByTestId('step')).toHaveAttribute('data-step', '0');
}
