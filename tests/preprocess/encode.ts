// Encoders for test images: PNG (pngjs), JPEG (jpeg-js), WebP (sharp), BMP (by hand).
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import sharp from 'sharp';
import type { PixelImage } from '../../src/shared/images/preprocess';

export function encodePng(image: PixelImage): Uint8Array {
  const png = new pngjs.PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data);
  return new Uint8Array(pngjs.PNG.sync.write(png));
}

export function encodeJpeg(image: PixelImage, quality = 95): Uint8Array {
  return new Uint8Array(jpeg.encode({ width: image.width, height: image.height, data: image.data }, quality).data);
}

export async function encodeWebp(image: PixelImage, lossless = true): Promise<Uint8Array> {
  const out = await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 4 } })
    .webp({ lossless })
    .toBuffer();
  return new Uint8Array(out);
}

/** 24-bit bottom-up BMP, or 32-bit top-down with BI_BITFIELDS and an alpha mask. */
export function encodeBmp(image: PixelImage, bits: 24 | 32 = 24): Uint8Array {
  const { width, height, data } = image;
  const stride = Math.ceil((width * bits) / 32) * 4;
  const dib = bits === 32 ? 108 : 40; // V4 header carries the masks
  const offset = 14 + dib;
  const bytes = new Uint8Array(offset + stride * height);
  const v = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  v.setUint32(2, bytes.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, dib, true);
  v.setInt32(18, width, true);
  v.setInt32(22, bits === 32 ? -height : height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bits, true);
  v.setUint32(30, bits === 32 ? 3 : 0, true);
  if (bits === 32) {
    v.setUint32(54, 0x00ff0000, true);
    v.setUint32(58, 0x0000ff00, true);
    v.setUint32(62, 0x000000ff, true);
    v.setUint32(66, 0xff000000, true);
  }
  for (let y = 0; y < height; y++) {
    const row = offset + (bits === 32 ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const p = row + x * (bits / 8);
      bytes[p] = data[i + 2];
      bytes[p + 1] = data[i + 1];
      bytes[p + 2] = data[i];
      if (bits === 32) bytes[p + 3] = data[i + 3];
    }
  }
  return bytes;
}

/** A palette BMP (1, 4 or 8 bits a pixel) of palette indices; entry i of the palette is grey level `levels[i]`. */
export function encodeBmpPalette(width: number, height: number, indices: Uint8Array, bits: 1 | 4 | 8 = 8, levels?: number[]): Uint8Array {
  const colours = levels ?? Array.from({ length: 1 << bits }, (_, i) => Math.round((i * 255) / ((1 << bits) - 1)));
  const stride = Math.ceil((width * bits) / 32) * 4;
  const offset = 14 + 40 + colours.length * 4;
  const bytes = new Uint8Array(offset + stride * height);
  const v = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  v.setUint32(2, bytes.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bits, true);
  v.setUint32(46, colours.length, true);
  colours.forEach((g, i) => bytes.set([g, g, g, 0], 54 + i * 4));
  for (let y = 0; y < height; y++) {
    const row = offset + (height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const bit = x * bits;
      bytes[row + (bit >> 3)] |= indices[y * width + x] << (8 - bits - (bit & 7));
    }
  }
  return bytes;
}

/** Only a PNG signature and IHDR claiming this size: enough to test the size guard. */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(bytes.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  bytes.set([8, 6, 0, 0, 0], 24);
  return bytes;
}

/**
 * A run-length encoded palette BMP (RLE8, or RLE4 with `bits` 4) of palette indices, grey
 * palette. Runs of equal indices are runs; other stretches are literal (absolute) runs, as
 * Windows' encoder writes them.
 */
export function encodeBmpRle(width: number, height: number, indices: Uint8Array, bits: 4 | 8 = 8): Uint8Array {
  const colours = Array.from({ length: 1 << bits }, (_, i) => Math.round((i * 255) / ((1 << bits) - 1)));
  const out: number[] = [];
  for (let y = height - 1; y >= 0; y--) {
    const row = indices.subarray(y * width, (y + 1) * width);
    let x = 0;
    while (x < width) {
      let run = 1;
      while (x + run < width && run < 255 && row[x + run] === row[x]) run++;
      if (run >= 3 || width - x < 3) {
        out.push(run, bits === 8 ? row[x] : (row[x] << 4) | row[x]);
        x += run;
        continue;
      }
      // A literal stretch up to the next run of 3 (at least 3 pixels: 1 and 2 are escapes).
      let end = x + 3;
      while (end < width && end - x < 255 && !(end + 2 < width && row[end] === row[end + 1] && row[end] === row[end + 2])) end++;
      const count = end - x;
      out.push(0, count);
      const literal: number[] = [];
      if (bits === 8) for (let i = x; i < end; i++) literal.push(row[i]);
      else for (let i = x; i < end; i += 2) literal.push((row[i] << 4) | (i + 1 < end ? row[i + 1] : 0));
      out.push(...literal);
      if (literal.length % 2 === 1) out.push(0);
      x = end;
    }
    out.push(0, 0); // end of line
  }
  out.push(0, 1); // end of bitmap
  const offset = 14 + 40 + colours.length * 4;
  const bytes = new Uint8Array(offset + out.length);
  const v = new DataView(bytes.buffer);
  bytes[0] = 0x42;
  bytes[1] = 0x4d;
  v.setUint32(2, bytes.length, true);
  v.setUint32(10, offset, true);
  v.setUint32(14, 40, true);
  v.setInt32(18, width, true);
  v.setInt32(22, height, true);
  v.setUint16(26, 1, true);
  v.setUint16(28, bits, true);
  v.setUint32(30, bits === 8 ? 1 : 2, true);
  v.setUint32(34, out.length, true);
  v.setUint32(46, colours.length, true);
  colours.forEach((g, i) => bytes.set([g, g, g, 0], 54 + i * 4));
  bytes.set(out, offset);
  return bytes;
}
