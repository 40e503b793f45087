// BMP → RGBA. The format is simple enough that a dependency would cost more than
// it saves: uncompressed rows (bottom-up unless the height is negative), each padded
// to 4 bytes, pixels as palette indices (1/4/8 bit) or packed colours (16/24/32 bit).

import type { PixelImage } from '../../shared/images/preprocess';
import { ImageFormatError } from '../../shared/images/imageHeader';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

interface Masks {
  r: number;
  g: number;
  b: number;
  a: number;
}

export function decodeBmp(bytes: Uint8Array): PixelImage {
  const fail = (why: string): never => {
    throw new ImageFormatError(`cannot read this BMP: ${why}`);
  };
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
  if (compression !== BI_RGB && compression !== BI_BITFIELDS && compression !== BI_ALPHABITFIELDS) {
    fail('compressed (RLE/JPEG/PNG-in-BMP) bitmaps are not supported');
  }

  const masks = readMasks(v, dibSize, bitCount, compression);
  const palette = bitCount <= 8 ? readPalette(bytes, 14 + dibSize, core ? 3 : 4, bitCount, core ? 0 : v.getUint32(46, true)) : null;

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
        const colour = index * 4;
        if (colour + 3 >= palette.length) fail(`palette index ${index} is out of range`);
        data[out] = palette[colour];
        data[out + 1] = palette[colour + 1];
        data[out + 2] = palette[colour + 2];
        data[out + 3] = 255;
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

function readMasks(v: DataView, dibSize: number, bitCount: number, compression: number): Masks {
  if (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS) {
    // Masks follow a 40-byte header, or sit inside V2+ headers at the same place.
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
    if (p + 2 >= bytes.length) throw new ImageFormatError('cannot read this BMP: the palette is truncated');
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
