// Image file bytes → RGBA pixels in Node (for the CLI; the app decodes in the browser).
//
// The header is read first so that an oversized image is refused before any
// decoder allocates for it. PNG and JPEG use pure-JS decoders, BMP our own reader,
// WebP sharp (libvips), loaded only when a WebP file actually turns up.

import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { ImageFormatError, MAX_IMAGE_PIXELS, checkImageBytes, type ImageFormat } from '../../shared/images/imageHeader';
import type { PixelImage } from '../../shared/images/preprocess';
import { decodeBmp } from './decodeBmp';
import { messageOf } from '../../shared/messageOf';

export interface DecodedImage extends PixelImage {
  format: ImageFormat;
}

export async function decodeImage(bytes: Uint8Array, maxPixels = MAX_IMAGE_PIXELS): Promise<DecodedImage> {
  const header = checkImageBytes(bytes, maxPixels);
  let image: PixelImage;
  try {
    image = await DECODERS[header.format](bytes, maxPixels);
  } catch (error) {
    if (error instanceof ImageFormatError) throw error;
    const why = messageOf(error);
    throw new ImageFormatError(`cannot decode this ${header.format.toUpperCase()} file: ${why}`);
  }
  return { format: header.format, ...image };
}

const DECODERS: Record<ImageFormat, (bytes: Uint8Array, maxPixels: number) => PixelImage | Promise<PixelImage>> = {
  png: (bytes) => {
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  },
  jpeg: (bytes, maxPixels) => {
    const decoded = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    return { width: decoded.width, height: decoded.height, data: decoded.data };
  },
  webp: async (bytes) => {
    const { default: sharp } = await import('sharp');
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  },
  bmp: (bytes) => decodeBmp(bytes),
};
