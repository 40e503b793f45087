// Image file bytes → RGBA pixels in Node (the CLI; the app decodes in the browser).
//
// The same steps as the browser (renderer/images/readImageFile.ts): the header is checked
// first (shared/images/imageHeader.ts: pixels, sides, and whether the file can hold them),
// so an oversized or impossible image is refused before anything is allocated for it; BMP
// goes through our own decoder (shared with the browser); everything is shrunk to at most
// MAX_DECODED_SIDE on the longer side while decoding, as the browser does.
//
// PNG, JPEG and WebP are decoded by sharp (libvips): it streams, shrinks JPEG and WebP while
// decoding, and stops at the pixel limit itself, so memory stays bounded by the limits
// however the file was made. Its messages are internals, so they are not passed on: the
// user is told what is wrong with the file.

import type { Sharp } from 'sharp';
import { decodeBmp } from '../../shared/images/decodeBmp';
import { ImageFormatError, MAX_DECODED_SIDE, MAX_IMAGE_PIXELS, checkImageBytes, type ImageFormat } from '../../shared/images/imageHeader';
import type { PixelImage } from '../../shared/images/preprocess';

export interface DecodedImage extends PixelImage {
  format: ImageFormat;
}

type SharpFactory = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpFactory> | null = null;

/** sharp loads a native library (~100 ms): only when an image actually needs it. */
function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false); // each image is decoded once
    return sharp;
  });
  return sharpModule as Promise<SharpFactory>;
}

export async function decodeImage(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): Promise<DecodedImage> {
  const header = checkImageBytes(bytes, maxPixels);
  const sharp = await loadSharp();
  const { format } = header;
  let pipeline: Sharp;
  if (format === 'bmp') {
    const image = decodeBmp(bytes);
    if (Math.max(image.width, image.height) <= MAX_DECODED_SIDE) return { format, ...image };
    pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } });
  } else {
    // failOn 'error': refuse truncated or corrupt data rather than guess the missing pixels.
    pipeline = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error', sequentialRead: true });
  }
  try {
    const { data, info } = await pipeline
      .resize(MAX_DECODED_SIDE, MAX_DECODED_SIDE, { fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    return { format, width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } catch (error) {
    throw new ImageFormatError(whatIsWrong(format, error));
  }
}

/** The decoder's complaint, in the user's terms: truncated, or corrupt. */
function whatIsWrong(format: ImageFormat, error: unknown): string {
  const name = format.toUpperCase();
  const text = error instanceof Error ? error.message : String(error);
  if (/premature end|truncat|unexpected end|end of (file|data|stream)|not enough data|too short/i.test(text)) {
    return `cannot decode this ${name} file: it is truncated (the image data ends early)`;
  }
  if (/unsupported|not supported/i.test(text)) return `cannot decode this ${name} file: it uses a variant of ${name} that is not supported`;
  return `cannot decode this ${name} file: its image data is corrupt`;
}
