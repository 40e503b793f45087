// Dropping image files on the window classifies them; bad files get a message.
//
// A small model is trained here in Node (a few seconds, ~90 % test accuracy) and
// loaded through the weights menu — training through the UI is slow on a busy
// machine, and only the classification is under test. Then MNIST test digits are
// rendered as PNGs — enlarged, dark ink on white, and an inverted copy — and dropped
// on the page as a real drop event carrying Files.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { encodeBmp, encodeBmpRle, encodeJpeg, encodePng, encodeWebp, pngHeaderOnly } from '../tests/preprocess/encode';
import { jpegBomb, pngBomb } from '../tests/hostile/bombs';
import { mnistTestDigit, renderMnistOnPaper } from '../tests/preprocess/images';
import type { PixelImage } from '../src/shared/images/preprocess';
import { modelToSafetensors, trainQuickModel } from '../tests/preprocess/quickModel';
import { openFresh, openView } from './helpers';

interface DroppedFile {
  name: string;
  type: string;
  base64: string;
}

function file(name: string, type: string, bytes: Uint8Array): DroppedFile {
  return { name, type, base64: Buffer.from(bytes).toString('base64') };
}

/** The red channel as 8-bit palette indices (the images here are grey). */
function greyIndices(image: PixelImage): Uint8Array {
  return Uint8Array.from({ length: image.width * image.height }, (_, p) => image.data[p * 4]);
}

function inverted(image: PixelImage): PixelImage {
  return { ...image, data: image.data.map((v, i) => (i % 4 === 3 ? v : 255 - v)) };
}

/** Black ink on a fully transparent background (paper pixels are transparent black). */
function onTransparent(image: PixelImage): PixelImage {
  const data = new Uint8ClampedArray(image.data.length);
  for (let i = 0; i < data.length; i += 4) data[i + 3] = 255 - image.data[i];
  return { ...image, data };
}

async function dropFiles(page: Page, files: DroppedFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    // In the page; the Node-side tsconfig has no DOM types, so name the one we need.
    const { DataTransfer } = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
    const transfer = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      transfer.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return transfer;
  }, files);
  // Where a user would let go: over the charts of the Train view, far from the drop zone's own panel (the Try it view opens).
  await openView(page, 'Train');
  await page.dispatchEvent('main.views', 'dragover', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await page.dispatchEvent('main.views', 'drop', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toBeHidden();
}

async function loadTrainedModel(page: Page): Promise<void> {
  const name = 'quick-model.safetensors';
  const buffer = Buffer.from(modelToSafetensors(trainQuickModel(300)));
  await page.getByTestId('weights-menu').click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('weights-load').click();
  await (await chooser).setFiles({ name, mimeType: 'application/octet-stream', buffer });
  await expect(page.getByTestId('weights-result')).toContainText(`Loaded ${name}`);
}

// One page and one loaded model for both tests.
test.describe.configure({ mode: 'serial' });
let page: Page;

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  page = await browser.newPage();
  await openFresh(page);
  await loadTrainedModel(page);
});

test.afterAll(async () => {
  await page?.close();
});

test('dropped MNIST digits are classified, also inverted; bad files get a message', async () => {
  const seven = mnistTestDigit(0);
  const two = mnistTestDigit(1);
  expect([seven.label, two.label]).toEqual([7, 2]);
  const sevenOnPaper = renderMnistOnPaper(seven.pixels, 6, 240, 220, 50, 20);
  await dropFiles(page, [
    file('seven.png', 'image/png', encodePng(sevenOnPaper)),
    file('seven-inverted.png', 'image/png', encodePng(inverted(sevenOnPaper))),
    file('two.png', 'image/png', encodePng(renderMnistOnPaper(two.pixels, 4, 130, 150, 5, 30))),
    file('seven.jpg', 'image/jpeg', encodeJpeg(sevenOnPaper, 85)),
    file('seven.webp', 'image/webp', await encodeWebp(sevenOnPaper, false)),
    file('seven.bmp', 'image/bmp', encodeBmp(sevenOnPaper)),
    // Run-length encoded: decoded by the same code as in the CLI (shared/images/decodeBmp.ts).
    file('seven-rle.bmp', 'image/bmp', encodeBmpRle(sevenOnPaper.width, sevenOnPaper.height, greyIndices(sevenOnPaper))),
    file('seven-transparent.png', 'image/png', encodePng(onTransparent(sevenOnPaper))),
    file('scan-without-type', '', encodePng(sevenOnPaper)), // no MIME type, no extension: the bytes decide
    file('notes.txt', 'text/plain', new TextEncoder().encode('not a digit')),
    file('empty.png', 'image/png', new Uint8Array(0)),
    file('huge.png', 'image/png', pngHeaderOnly(8000, 8000)),
    file('fake.png', 'image/png', new TextEncoder().encode('a text file wearing a .png name')),
    // Issue 12's bombs: the same refusal as the CLI's, from the header, before the browser decodes anything.
    file('bomb.png', 'image/png', pngBomb()),
    file('bomb.jpg', 'image/jpeg', jpegBomb()),
  ]);

  const results = page.getByTestId('classify-result');
  await expect(results).toHaveCount(15);
  const byName = (name: string) => page.locator(`[data-testid="classify-result"][data-file="${name}"]`);
  await expect(byName('seven.png')).toHaveAttribute('data-predicted', '7');
  await expect(byName('seven-inverted.png')).toHaveAttribute('data-predicted', '7');
  await expect(byName('two.png')).toHaveAttribute('data-predicted', '2');
  for (const name of ['seven.jpg', 'seven.webp', 'seven.bmp', 'seven-rle.bmp', 'seven-transparent.png', 'scan-without-type']) {
    await expect(byName(name)).toHaveAttribute('data-predicted', '7');
  }
  await expect(byName('seven.png').getByTestId('classify-predicted')).toHaveText('7');
  await expect(byName('seven.png').locator('.prob')).toHaveCount(10);

  await expect(byName('notes.txt').getByTestId('classify-error')).toContainText('not an image');
  await expect(byName('empty.png').getByTestId('classify-error')).toContainText('empty');
  await expect(byName('huge.png').getByTestId('classify-error')).toContainText('too large: 8000×8000');
  await expect(byName('fake.png').getByTestId('classify-error')).toContainText('not a PNG, JPEG, WebP or BMP image');
  await expect(byName('bomb.png').getByTestId('classify-error')).toContainText('too large: 1×40000000 pixels');
  await expect(byName('bomb.jpg').getByTestId('classify-error')).toContainText('the JPEG file is truncated or corrupt');

  // A result can be handed to the network view.
  await byName('two.png').getByTitle('Show in the network view').click(); // the card, not its Keep-as buttons
  await expect(page.getByTestId('prediction')).toHaveAttribute('data-predicted', '2');
  await expect(page.getByTestId('prediction')).toContainText('two.png');

  // The page survived all of it: a new drop still works.
  await dropFiles(page, [file('again.png', 'image/png', encodePng(sevenOnPaper))]);
  await expect(results).toHaveCount(16);
  await expect(byName('again.png')).toHaveAttribute('data-predicted', '7');
  await page.getByTestId('drop-zone').screenshot({ path: test.info().outputPath('drop-results.png') });
});

test('a digit drawn with the mouse is classified', async () => {
  await openView(page, 'Try it');
  const pad = page.getByTestId('draw-canvas');
  // A "1": one vertical stroke down the middle. hover() scrolls the pad into view first.
  await pad.hover({ position: { x: 98, y: 30 } });
  const box = await pad.boundingBox();
  if (!box) throw new Error('draw pad not visible');
  await page.mouse.down();
  for (let t = 1; t <= 10; t++) await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * t));
  await page.mouse.up();
  await expect(page.getByTestId('draw-result')).toHaveAttribute('data-predicted', '1');
  await page.getByTestId('draw-clear').click();
  await expect(page.getByTestId('draw-result')).toHaveCount(0);
});
