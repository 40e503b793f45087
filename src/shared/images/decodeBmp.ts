// BMP → RGBA, for the CLI and the browser alike (one decoder, so both accept the same files).
// The format is simple enough that a dependency would cost more than it saves: rows
// (bottom-up unless the height is negative), each padded to 4 bytes, pixels as palette
// indices (1/4/8 bit) or packed colours (16/24/32 bit), or palette indices run-length
// encoded (RLE8, RLE4). Pixels an RLE bitmap skips are transparent, as browsers show them.
// Pure TypeScript (no DOM, no Node).

import type { PixelImage } from './preprocess';
import { ImageFormatError, checkImageBytes } from './imageHeader';

const BI_RGB = 0;
const BI_RLE8 = 1;
const BI_RLE4 = 2;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface Masks {
  r: number;
  g: number;
  b: number;
  a: number;
}

function fail(why: string): never {
  throw new ImageFormatError(`cannot read this BMP: ${why}`);
}

/** RGBA in a buffer of its own (the browser hands it to ImageData without a copy). */
export interface BmpImage extends PixelImage {
  data: Uint8ClampedArray<ArrayBuffer>;
}

export function decodeBmp(bytes: Uint8Array): BmpImage {
  // Size limits first (and what the file can hold): nothing is allocated for a bitmap that is refused.
  checkImageBytes(bytes);
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) fail('not a BMP file');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixelOffset = v.getUint32(10, true);
  const dibSize = v.getUint32(14, true);
  const core = dibSize === 12;
  if (!core && dibSize < 40) fail(`unknown header size ${dibSize}`);
  if (bytes.length < 14 + dibSize) fail('the header is truncated');

  const width = core ? v.getUint16(18, true) : v.getInt32(18, true);
  const rawHeight = core ? v.getUint16(20, true) : v.getInt32(22, true);
  const bitCount = v.getUint16(core ? 24 : 28, true);
  const compression = core ? BI_RGB : v.getUint32(30, true);
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height === 0) fail(`size ${width}×${rawHeight}`);
  if (![1, 4, 8, 16, 24, 32].includes(bitCount)) fail(`${bitCount} bits per pixel is not supported`);
  const rle = compression === BI_RLE8 || compression === BI_RLE4;
  if (rle) {
    if (bitCount !== (compression === BI_RLE8 ? 8 : 4)) fail(`RLE${compression === BI_RLE8 ? 8 : 4} needs ${compression === BI_RLE8 ? 8 : 4} bits per pixel, the header says ${bitCount}`);
    if (topDown) fail('a run-length encoded bitmap cannot be stored top-down');
  } else if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail('JPEG or PNG inside a BMP is not supported');
  }
  if (pixelOffset >= bytes.length) fail('the pixel data is missing (the file is truncated)');

  const palette = bitCount <= 8 ? readPalette(bytes, 14 + dibSize, core ? 3 : 4, bitCount, core ? 0 : v.getUint32(46, true)) : null;
  if (rle) return { width, height, data: decodeRle(bytes, pixelOffset, width, height, compression === BI_RLE4, palette as Uint8Array) };

  const masks = readMasks(v, dibSize, bitCount, compression);
  const stride = Math.ceil((width * bitCount) / 32) * 4;
  if (pixelOffset + stride * height > bytes.length) fail('the pixel data is truncated');

  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const out = (y * width + x) * 4;
      if (palette) {
        const bitPos = x * bitCount;
        const byte = bytes[row + (bitPos >> 3)];
        const index = (byte >> (8 - bitCount - (bitPos & 7))) & ((1 << bitCount) - 1);
        setColour(data, out, palette, index);
      } else if (bitCount === 24) {
        const p = row + x * 3;
        data[out] = bytes[p + 2];
        data[out + 1] = bytes[p + 1];
        data[out + 2] = bytes[p];
        data[out + 3] = 255;
      } else {
        const pixel = bitCount === 16 ? v.getUint16(row + x * 2, true) : v.getUint32(row + x * 4, true);
        data[out] = channel(pixel, masks.r);
        data[out + 1] = channel(pixel, masks.g);
        data[out + 2] = channel(pixel, masks.b);
        data[out + 3] = masks.a ? channel(pixel, masks.a) : 255;
      }
    }
  }
  return { width, height, data };
}

function setColour(data: Uint8ClampedArray, out: number, palette: Uint8Array, index: number): void {
  const colour = index * 4;
  if (colour + 3 >= palette.length) fail(`palette index ${index} is out of range (the palette has ${palette.length / 4} colours)`);
  data[out] = palette[colour];
  data[out + 1] = palette[colour + 1];
  data[out + 2] = palette[colour + 2];
  data[out + 3] = 255;
}

/**
 * RLE8 / RLE4: pairs (count, index) paint runs; (0, 0) ends a line, (0, 1) the bitmap,
 * (0, 2, dx, dy) moves the pen, (0, n ≥ 3) is followed by n literal indices padded to 16 bits.
 * Rows run bottom-up. Runs past the right edge are clipped; what is never painted stays transparent.
 */
function decodeRle(bytes: Uint8Array, start: number, width: number, height: number, nibbles: boolean, palette: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const data = new Uint8ClampedArray(width * height * 4);
  let x = 0;
  let row = 0; // counted from the bottom
  let p = start;
  const paint = (index: number) => {
    if (x < width && row < height) setColour(data, ((height - 1 - row) * width + x) * 4, palette, index);
    x++;
  };
  while (row < height) {
    if (p + 1 >= bytes.length) fail('the run-length data is truncated');
    const count = bytes[p];
    const value = bytes[p + 1];
    p += 2;
    if (count > 0) {
      for (let i = 0; i < count; i++) paint(nibbles ? (i % 2 === 0 ? value >> 4 : value & 15) : value);
    } else if (value === 0) {
      x = 0;
      row++;
    } else if (value === 1) {
      break;
    } else if (value === 2) {
      if (p + 1 >= bytes.length) fail('the run-length data is truncated');
      x += bytes[p];
      row += bytes[p + 1];
      p += 2;
    } else {
      const literalBytes = nibbles ? Math.ceil(value / 2) : value;
      if (p + literalBytes > bytes.length) fail('the run-length data is truncated');
      for (let i = 0; i < value; i++) paint(nibbles ? (i % 2 === 0 ? bytes[p + (i >> 1)] >> 4 : bytes[p + (i >> 1)] & 15) : bytes[p + i]);
      p += literalBytes + (literalBytes % 2); // literal runs are padded to 16 bits
    }
  }
  return data;
}

function readMasks(v: DataView, dibSize: number, bitCount: number, compression: number): Masks {
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    // Masks follow a 40-byte header, or sit inside V2+ headers at the same place.
    if (v.byteLength < 54 + 12 + 4) fail('the colour masks are truncated');
    const alpha = compression === BI_ALPHABITFIELDS || dibSize >= 56 ? v.getUint32(54 + 12, true) : 0;
    return { r: v.getUint32(54, true), g: v.getUint32(58, true), b: v.getUint32(62, true), a: alpha };
  }
  // BI_RGB: 16-bit is 5-5-5; the fourth byte of 32-bit pixels is unused (often 0), so opaque.
  if (bitCount === 16) return { r: 0x7c00, g: 0x03e0, b: 0x001f, a: 0 };
  return { r: 0x00ff0000, g: 0x0000ff00, b: 0x000000ff, a: 0 };
}

function readPalette(bytes: Uint8Array, offset: number, entrySize: number, bitCount: number, used: number): Uint8Array {
  const count = used > 0 ? Math.min(used, 1 << bitCount) : 1 << bitCount;
  const palette = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) {
    const p = offset + i * entrySize;
    if (p + 2 >= bytes.length) fail('the palette is truncated');
    palette[i * 4] = bytes[p + 2];
    palette[i * 4 + 1] = bytes[p + 1];
    palette[i * 4 + 2] = bytes[p];
    palette[i * 4 + 3] = 255;
  }
  return palette;
}

/** Extract the bits under `mask` and scale them to 0..255. */
function channel(pixel: number, mask: number): number {
  if (mask === 0) return 0;
  const shift = 31 - Math.clz32(mask & -mask);
  const max = mask >>> shift;
  return Math.round((((pixel & mask) >>> shift) * 255) / max);
}
