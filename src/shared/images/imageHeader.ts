// What kind of image a file is and how big, from its first bytes only.
//
// Decoding an 8000×8000 image costs 256 MB before anyone can complain about it,
// so both the app and the CLI read the header first and refuse oversized images
// without decoding. The magic bytes, not the file name, decide the format.
// Pure TypeScript (no DOM, no Node), shared by the renderer and the CLI.

import { capacityProblem } from './imageCapacity';
import { readJpegFrame } from './jpegFrame';

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'bmp';

export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

/** Images above this many pixels are refused before decoding. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/**
 * And above this many on either side: a 1×40 000 000 strip passes the area limit but is no
 * photo of a digit, and decoders allocate per row. WebP cannot go beyond 16 383 anyway.
 */
export const MAX_IMAGE_SIDE = 16_384;
/** Image files larger than this are refused before they are read. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;
/** Decoded images are shrunk to at most this many pixels on the longer side: the digit ends up 20 px tall anyway. */
export const MAX_DECODED_SIDE = 1024;

export class ImageFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFormatError';
  }
}

export const SUPPORTED_FORMATS_TEXT = 'PNG, JPEG, WebP or BMP';

/** Why an image file of this size is refused before reading it; null when it is small enough. One wording for the app and the CLI. */
export function imageFileTooLarge(byteLength: number): string | null {
  if (byteLength <= MAX_IMAGE_FILE_BYTES) return null;
  return `the file is too large (${(byteLength / 1048576).toFixed(1)} MB; image files are at most ${MAX_IMAGE_FILE_BYTES / 1048576} MB)`;
}

/** Read the format and dimensions; throws ImageFormatError for empty, unknown or truncated files. */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.length === 0) throw new ImageFormatError('the file is empty');
  const format = sniffFormat(bytes);
  if (format === null) {
    throw new ImageFormatError(`not a ${SUPPORTED_FORMATS_TEXT} image (unrecognised file contents)`);
  }
  const size = READERS[format](bytes);
  if (size === null) throw new ImageFormatError(`the ${format.toUpperCase()} file is truncated or corrupt (no image size found)`);
  if (size.width <= 0 || size.height <= 0) {
    throw new ImageFormatError(`the ${format.toUpperCase()} file says its size is ${size.width}×${size.height}`);
  }
  return { format, ...size };
}

/**
 * readImageHeader plus the limits: the pixel count, each side, and whether the file can hold
 * that many pixels at all (a 68-byte PNG cannot hold 40 million). What to call before
 * decoding anything a user hands over: nothing is allocated for an image refused here.
 */
export function checkImageBytes(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): ImageHeader {
  const header = readImageHeader(bytes);
  const { width, height } = header;
  if (width * height > maxPixels) {
    throw new ImageFormatError(`the image is too large: ${width}×${height} is ${((width * height) / 1e6).toFixed(1)} megapixels, the limit is ${maxPixels / 1e6}`);
  }
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ImageFormatError(`the image is too large: ${width}×${height} pixels, each side may be at most ${MAX_IMAGE_SIDE}`);
  }
  const cannotHold = capacityProblem(bytes, header);
  if (cannotHold) throw new ImageFormatError(cannotHold);
  return header;
}

function startsWith(bytes: Uint8Array, offset: number, expected: readonly number[]): boolean {
  if (bytes.length < offset + expected.length) return false;
  return expected.every((b, i) => bytes[offset + i] === b);
}

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBP'))) return 'webp';
  if (startsWith(bytes, 0, ascii('BM'))) return 'bmp';
  return null;
}

type Size = { width: number; height: number } | null;

const READERS: Record<ImageFormat, (bytes: Uint8Array) => Size> = {
  png: pngSize,
  jpeg: jpegSize,
  webp: webpSize,
  bmp: bmpSize,
};

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function pngSize(bytes: Uint8Array): Size {
  // The signature is followed by the IHDR chunk: length, "IHDR", width, height (big-endian).
  if (bytes.length < 24 || !startsWith(bytes, 12, ascii('IHDR'))) return null;
  const v = view(bytes);
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

function jpegSize(bytes: Uint8Array): Size {
  const frame = readJpegFrame(bytes);
  return frame && { width: frame.width, height: frame.height };
}

function webpSize(bytes: Uint8Array): Size {
  if (bytes.length < 30) return null;
  const v = view(bytes);
  if (startsWith(bytes, 12, ascii('VP8 '))) {
    // Lossy: a 3-byte frame tag, the start code 9d 01 2a, then 14-bit width and height.
    if (!startsWith(bytes, 23, [0x9d, 0x01, 0x2a])) return null;
    return { width: v.getUint16(26, true) & 0x3fff, height: v.getUint16(28, true) & 0x3fff };
  }
  if (startsWith(bytes, 12, ascii('VP8L'))) {
    // Lossless: signature 0x2f, then width-1 and height-1 in 14 bits each.
    if (bytes[20] !== 0x2f) return null;
    const bits = v.getUint32(21, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (startsWith(bytes, 12, ascii('VP8X'))) {
    // Extended: 24-bit canvas width-1 and height-1.
    const width = bytes[24] | (bytes[25] << 8) | (bytes[26] << 16);
    const height = bytes[27] | (bytes[28] << 8) | (bytes[29] << 16);
    return { width: width + 1, height: height + 1 };
  }
  return null;
}

function bmpSize(bytes: Uint8Array): Size {
  if (bytes.length < 26) return null;
  const v = view(bytes);
  const dibSize = v.getUint32(14, true);
  if (dibSize === 12) return { width: v.getUint16(18, true), height: v.getUint16(20, true) };
  if (dibSize < 40) return null;
  // Negative height means rows are stored top-down.
  return { width: v.getInt32(18, true), height: Math.abs(v.getInt32(22, true)) };
}
