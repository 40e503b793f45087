// A greyscale PNG encoder, enough for the learner's digits (28×28, 8 bits): the signature, IHDR,
// one zlib-compressed IDAT of unfiltered rows, and IEND, each chunk with its CRC-32.
import { deflateSync } from 'node:zlib';

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const typed = out.subarray(4, 8 + data.length);
  typed.set(new TextEncoder().encode(type));
  typed.set(data, 4);
  view.setUint32(8 + data.length, crc32(typed));
  return out;
}

/**
 * A PNG of width×height at 8 bits per sample whose IDAT holds `idat` as given (zlib data):
 * the signature, IHDR, IDAT and IEND, each chunk with its CRC-32. The tests build hostile
 * files with it too (an IDAT that does not hold what IHDR declares).
 */
export function assemblePng(width: number, height: number, colourType: number, idat: Uint8Array): Uint8Array {
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bits per sample
  header[9] = colourType; // 0: greyscale
  const parts = [SIGNATURE, chunk('IHDR', header), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** `pixels`: width × height bytes, row-major, 0 black … 255 white. */
export function encodeGreyPng(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (pixels.length !== width * height) throw new Error(`encodeGreyPng: ${pixels.length} bytes for ${width}×${height}`);
  const rows = new Uint8Array(height * (width + 1));
  for (let y = 0; y < height; y++) rows.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1); // filter 0: none
  return assemblePng(width, height, 0, deflateSync(rows));
}
