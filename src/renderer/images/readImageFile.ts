// A dropped or chosen file → RGBA pixels, in the browser.
//
// Everything is checked before the browser's decoder sees the file: size on disk,
// the MIME type / extension, the magic bytes and the dimensions in the header, so
// a text file, an empty file or an 8000×8000 image gets a message instead of a
// frozen or crashed tab. Large images that pass are shrunk while decoding: the
// digit ends up 20 px tall anyway.
import { checkImageBytes, ImageFormatError, SUPPORTED_FORMATS_TEXT } from '../../shared/images/imageHeader';
import type { PixelImage } from '../../shared/images/preprocess';

/** Larger files are refused before reading them into memory. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Decoded images are shrunk to at most this many pixels on the longer side. */
export const MAX_DECODED_SIDE = 1024;

const IMAGE_EXTENSIONS = /\.(png|jpe?g|jfif|webp|bmp|dib)$/i;

export async function readImageFile(file: File): Promise<PixelImage> {
  if (file.size === 0) throw new ImageFormatError('the file is empty');
  // A declared non-image type is believed unless the name says image; with no type
  // at all (some apps drag files without one) the magic bytes below decide.
  const declaredOther = file.type !== '' && !file.type.startsWith('image/');
  if (declaredOther && !IMAGE_EXTENSIONS.test(file.name)) {
    throw new ImageFormatError(`not an image (${file.type}): drop ${SUPPORTED_FORMATS_TEXT} files`);
  }
  if (file.size > MAX_FILE_BYTES) {
    throw new ImageFormatError(`the file is too large (${(file.size / 1024 / 1024).toFixed(0)} MB; the limit is ${MAX_FILE_BYTES / 1024 / 1024} MB)`);
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = checkImageBytes(bytes);
  return decodeToRgba(new Blob([bytes], { type: `image/${header.format}` }), header.width, header.height);
}

async function decodeToRgba(blob: Blob, width: number, height: number): Promise<PixelImage> {
  const shrink = Math.min(1, MAX_DECODED_SIDE / Math.max(width, height));
  const options: ImageBitmapOptions = { premultiplyAlpha: 'none', colorSpaceConversion: 'none' };
  if (shrink < 1) {
    options.resizeWidth = Math.max(1, Math.round(width * shrink));
    options.resizeHeight = Math.max(1, Math.round(height * shrink));
    options.resizeQuality = 'high';
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(blob, options);
  } catch {
    throw new ImageFormatError(`the browser could not decode this ${blob.type.slice(6).toUpperCase()} file (corrupt or unsupported variant)`);
  }
  try {
    const canvas = makeCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true }) as
      | CanvasRenderingContext2D
      | OffscreenCanvasRenderingContext2D
      | null;
    if (!context) throw new Error('no 2D canvas context available to read the pixels');
    context.drawImage(bitmap, 0, 0);
    const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: bitmap.width, height: bitmap.height, data };
  } finally {
    bitmap.close();
  }
}

function makeCanvas(width: number, height: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}
