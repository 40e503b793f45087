// Can the file hold the image its header declares? A 68-byte PNG may declare 1×40 000 000
// pixels; decoders believe the header and allocate for it before they find the data
// missing. Each format bounds how many pixels a given number of bytes can describe:
//
// - PNG: deflate expands at most 1032:1 (a 258-byte match coded in 2 bits), so the IDAT
//   bytes bound the raw image size.
// - JPEG (Huffman-coded): every 8×8 block's DC coefficient takes at least one bit, and at
//   least one component is coded in full, so the file must hold ≥ 1 bit per block of it.
// - BMP (uncompressed): every row is stored, so the file must hold them all.
// - WebP, arithmetic-coded JPEG and RLE BMP code pixels in fractions of a bit: no bound
//   here; the limits on pixels and sides (imageHeader.ts) bound them instead.
// Pure TypeScript (no DOM, no Node), shared by the renderer and the CLI.

import type { ImageHeader } from './imageHeader';
import { readJpegFrame } from './jpegFrame';

/** The most bytes deflate can produce from one byte of input (RFC 1951: 258 bytes from a 2-bit match). */
const MAX_DEFLATE_RATIO = 1032;

/** Why this file cannot hold the image its header declares (for the user), or null when it can (or no bound applies). */
export function capacityProblem(bytes: Uint8Array, header: ImageHeader): string | null {
  switch (header.format) {
    case 'png':
      return pngProblem(bytes, header);
    case 'jpeg':
      return jpegProblem(bytes, header);
    case 'bmp':
      return bmpProblem(bytes, header);
    case 'webp':
      return null;
  }
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function chunkType(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

/** Channels per PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function pngProblem(bytes: Uint8Array, { width, height }: ImageHeader): string | null {
  const v = view(bytes);
  let bitsPerPixel = 0;
  let compressed = 0;
  // Chunks: length (4), type (4), data, CRC (4).
  for (let offset = 8; offset + 8 <= bytes.length;) {
    const length = v.getUint32(offset);
    const type = chunkType(bytes, offset + 4);
    if (type === 'IHDR' && offset + 8 + 13 <= bytes.length) {
      const channels = PNG_CHANNELS[bytes[offset + 17]];
      bitsPerPixel = channels === undefined ? 0 : channels * bytes[offset + 16];
    } else if (type === 'IDAT') {
      compressed += Math.min(length, bytes.length - offset - 8);
    } else if (type === 'IEND') {
      break;
    }
    offset += 12 + length;
  }
  if (bitsPerPixel === 0) return null; // a bad IHDR: the decoder says what is wrong with it
  // Without the filter byte per row: a lower bound on what the pixels need however they are interlaced.
  const needed = height * Math.ceil((width * bitsPerPixel) / 8);
  const possible = (compressed + 1) * MAX_DEFLATE_RATIO;
  if (needed <= possible) return null;
  return (
    `the PNG file is truncated or corrupt: it declares ${width}×${height} pixels, which need ${needed.toLocaleString('en-US')} bytes, ` +
    `but its ${compressed.toLocaleString('en-US')} bytes of compressed image data can hold at most ${possible.toLocaleString('en-US')}`
  );
}

/** SOF markers of Huffman-coded frames (baseline, extended, progressive, lossless, and their hierarchical forms). */
const HUFFMAN_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7]);

function jpegProblem(bytes: Uint8Array, { width, height }: ImageHeader): string | null {
  const frame = readJpegFrame(bytes);
  if (!frame || !HUFFMAN_FRAMES.has(frame.marker) || frame.components.length === 0) return null;
  const hMax = Math.max(...frame.components.map((c) => c.h));
  const vMax = Math.max(...frame.components.map((c) => c.v));
  if (hMax === 0 || vMax === 0) return null;
  // Blocks of the least-sampled component: at least that one is coded in full.
  let fewestBlocks = Infinity;
  for (const c of frame.components) {
    const blocks = Math.ceil(Math.ceil((width * c.h) / hMax) / 8) * Math.ceil(Math.ceil((height * c.v) / vMax) / 8);
    fewestBlocks = Math.min(fewestBlocks, blocks);
  }
  const needed = Math.ceil(fewestBlocks / 8);
  if (bytes.length >= needed) return null;
  return (
    `the JPEG file is truncated or corrupt: it declares ${width}×${height} pixels, which take at least ${needed.toLocaleString('en-US')} bytes, ` +
    `but the file has ${bytes.length.toLocaleString('en-US')}`
  );
}

function bmpProblem(bytes: Uint8Array, { width, height }: ImageHeader): string | null {
  if (bytes.length < 34) return null;
  const v = view(bytes);
  const dibSize = v.getUint32(14, true);
  const core = dibSize === 12;
  const bitCount = v.getUint16(core ? 24 : 28, true);
  const compression = core ? 0 : v.getUint32(30, true);
  if (compression === 1 || compression === 2 || bitCount === 0) return null; // RLE (or a bad header the decoder reports)
  const stride = Math.ceil((width * bitCount) / 32) * 4;
  const needed = v.getUint32(10, true) + stride * height;
  if (needed <= bytes.length) return null;
  return (
    `the BMP file is truncated: it declares ${width}×${height} pixels at ${bitCount} bits, which take ${needed.toLocaleString('en-US')} bytes, ` +
    `but the file has ${bytes.length.toLocaleString('en-US')}`
  );
}
