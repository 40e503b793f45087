import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ImageFormatError, checkImageBytes, readImageHeader } from '../../src/shared/images/imageHeader';
import { preprocessDigit } from '../../src/shared/images/preprocess';
import { decodeImage } from '../../src/main/images/decodeImage';
import { encodeBmp, encodeBmpPalette, encodeJpeg, encodePng, encodeWebp, pngHeaderOnly } from './encode';
import { pngWith } from '../hostile/bombs';
import { BLACK, WHITE, canvas, correlation, drawShape, mnistTestDigit, renderMnistOnPaper } from './images';

/** A small image with distinct colours and partial alpha, to catch channel-order mistakes. */
function testPattern() {
  const image = canvas(13, 9, WHITE);
  for (let p = 0; p < 13 * 9; p++) image.data.set([(p * 7) % 256, (p * 13) % 256, (p * 29) % 256, 255 - (p % 3) * 100], p * 4);
  return image;
}

describe('readImageHeader', () => {
  it('reads format and size of each supported format', async () => {
    const image = canvas(37, 21, WHITE);
    expect(readImageHeader(encodePng(image))).toEqual({ format: 'png', width: 37, height: 21 });
    expect(readImageHeader(encodeJpeg(image))).toEqual({ format: 'jpeg', width: 37, height: 21 });
    expect(readImageHeader(encodeBmp(image))).toEqual({ format: 'bmp', width: 37, height: 21 });
    expect(readImageHeader(encodeBmp(image, 32))).toEqual({ format: 'bmp', width: 37, height: 21 });
    expect(readImageHeader(await encodeWebp(image, true))).toEqual({ format: 'webp', width: 37, height: 21 });
    expect(readImageHeader(await encodeWebp(image, false))).toEqual({ format: 'webp', width: 37, height: 21 });
  });

  it('finds the frame size of progressive JPEGs and past EXIF segments', async () => {
    const raw = { raw: { width: 45, height: 31, channels: 4 as const } };
    const pixels = Buffer.from(canvas(45, 31, WHITE).data);
    const progressive = await sharp(pixels, raw).jpeg({ progressive: true }).toBuffer();
    expect(readImageHeader(progressive)).toEqual({ format: 'jpeg', width: 45, height: 31 });
    const withExif = await sharp(pixels, raw)
      .withExif({ IFD0: { Copyright: 'x'.repeat(2000) } })
      .jpeg()
      .toBuffer();
    expect(withExif.indexOf('Exif')).toBeGreaterThan(0);
    expect(readImageHeader(withExif)).toEqual({ format: 'jpeg', width: 45, height: 31 });
  });

  it('rejects empty files, non-images and truncated headers clearly', () => {
    expect(() => readImageHeader(new Uint8Array(0))).toThrow(/empty/);
    expect(() => readImageHeader(new TextEncoder().encode('hello, this is text'))).toThrow(/not a PNG, JPEG, WebP or BMP/);
    expect(() => readImageHeader(encodePng(canvas(4, 4, WHITE)).subarray(0, 12))).toThrow(/truncated/);
    expect(() => readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]))).toThrow(ImageFormatError);
  });

  it('refuses an 8000×8000 image from its header alone', () => {
    expect(() => checkImageBytes(pngHeaderOnly(8000, 8000))).toThrow(/too large: 8000×8000 is 64.0 megapixels/);
    // 4000×4000 grey needs 16 MB of pixels: ≥ 16 KB of deflate data can hold them, 0 bytes cannot.
    expect(checkImageBytes(pngWith(4000, 4000, new Uint8Array(16_000))).width).toBe(4000);
    expect(() => checkImageBytes(pngHeaderOnly(4000, 4000))).toThrow(/truncated or corrupt: it declares 4000×4000 pixels/);
  });
});

describe('decodeImage', () => {
  it('decodes PNG and BMP (24-bit, 32-bit with alpha, 8-bit palette) exactly', async () => {
    const image = testPattern();
    const png = await decodeImage(encodePng(image));
    expect(png).toMatchObject({ format: 'png', width: 13, height: 9 });
    expect(Array.from(png.data)).toEqual(Array.from(image.data));

    const bmp32 = await decodeImage(encodeBmp(image, 32));
    expect(Array.from(bmp32.data)).toEqual(Array.from(image.data));

    const bmp24 = await decodeImage(encodeBmp(image, 24));
    const opaque = image.data.map((v, i) => (i % 4 === 3 ? 255 : v));
    expect(Array.from(bmp24.data)).toEqual(Array.from(opaque));

    const grey = Uint8Array.from({ length: 5 * 3 }, (_, i) => i * 17);
    const bmp8 = await decodeImage(encodeBmpPalette(5, 3, grey));
    expect(Array.from(bmp8.data.filter((_, i) => i % 4 === 0))).toEqual(Array.from(grey));
  });

  it('decodes 1-bit and 4-bit palette BMPs, odd widths and row padding included', async () => {
    const width = 11;
    const height = 3;
    const bits1 = Uint8Array.from({ length: width * height }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
    const bmp1 = await decodeImage(encodeBmpPalette(width, height, bits1, 1, [255, 0]));
    expect(Array.from(bmp1.data.filter((_, i) => i % 4 === 0))).toEqual(Array.from(bits1, (b) => (b ? 0 : 255)));

    const nibbles = Uint8Array.from({ length: width * height }, (_, i) => i % 16);
    const bmp4 = await decodeImage(encodeBmpPalette(width, height, nibbles, 4));
    expect(Array.from(bmp4.data.filter((_, i) => i % 4 === 0))).toEqual(Array.from(nibbles, (n) => n * 17));
  });

  it('decodes lossless WebP exactly and JPEG closely', async () => {
    const image = testPattern();
    const webp = await decodeImage(await encodeWebp(image, true));
    expect(Array.from(webp.data)).toEqual(Array.from(image.data));

    const digit = renderMnistOnPaper(mnistTestDigit(0).pixels, 3, 100, 100, 10, 10);
    const decoded = await decodeImage(encodeJpeg(digit));
    expect(decoded.format).toBe('jpeg');
    expect(correlation(decoded.data, digit.data)).toBeGreaterThan(0.99);
  });

  it('gives the same 28×28 digit from every format', async () => {
    const image = canvas(90, 70, WHITE);
    drawShape(image, 20, 10, 45, BLACK);
    const expected = preprocessDigit(image);
    const files = [encodePng(image), encodeBmp(image), encodeJpeg(image), await encodeWebp(image, false)];
    for (const bytes of files) {
      expect(correlation(preprocessDigit(await decodeImage(bytes)), expected)).toBeGreaterThan(0.97);
    }
  });

  it('reports a corrupt file as an ImageFormatError naming the format', async () => {
    const png = encodePng(testPattern());
    const corrupt = png.slice(0, 40);
    await expect(decodeImage(corrupt)).rejects.toThrow(/PNG/);
    await expect(decodeImage(corrupt)).rejects.toBeInstanceOf(ImageFormatError);
    const bmp = encodeBmp(testPattern()).slice(0, 80);
    await expect(decodeImage(bmp)).rejects.toThrow(/BMP.*truncated/);
    await expect(decodeImage(pngHeaderOnly(9000, 9000))).rejects.toThrow(/too large/);
  });
});
