// A dropped or chosen file → RGBA pixels, in the browser.
//
// Everything is checked before the browser's decoder sees the file: size on disk,
// the MIME type / extension, the magic bytes, the dimensions in the header and whether
// the file can hold them (shared/images/imageHeader.ts, the same checks as the CLI), so
// a text file, an empty file or an 8000×8000 image gets a message instead of a frozen or
// crashed tab. BMP is decoded by our own decoder, the CLI's, so both accept the same
// files; the rest by the browser. Large images are shrunk while decoding, as in the CLI:
// the digit ends up 20 px tall anyway.
import { decodeBmp } from '../../shared/images/decodeBmp';
import { checkImageBytes, imageFileTooLarge, ImageFormatError, MAX_DECODED_SIDE, SUPPORTED_FORMATS_TEXT } from '../../shared/images/imageHeader';
import type { PixelImage } from '../../shared/images/preprocess';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|jfif|webp|bmp|dib)$/i;

export async function readImageFile(file: File): Promise<PixelImage> {
  if (file.size === 0) throw new ImageFormatError('the file is empty');
  // A declared non-image type is believed unless the name says image; with no type
  // at all (some apps drag files without one) the magic bytes below decide.
  const declaredOther = file.type !== '' && !file.type.startsWith('image/');
  if (declaredOther && !IMAGE_EXTENSIONS.test(file.name)) {
    throw new ImageFormatError(`not an image (${file.type}): drop ${SUPPORTED_FORMATS_TEXT} files`);
  }
  const tooLarge = imageFileTooLarge(file.size);
  if (tooLarge) throw new ImageFormatError(tooLarge);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const header = checkImageBytes(bytes);
  if (header.format === 'bmp') {
    const image = decodeBmp(bytes);
    if (Math.max(image.width, image.height) <= MAX_DECODED_SIDE) return image;
    const pixels = new ImageData(image.data, image.width, image.height);
    return decodeToRgba(pixels, 'BMP', image.width, image.height);
  }
  return decodeToRgba(new Blob([bytes], { type: `image/${header.format}` }), header.format.toUpperCase(), header.width, header.height);
}

async function decodeToRgba(source: Blob | ImageData, format: string, width: number, height: number): Promise<PixelImage> {
  const shrink = Math.min(1, MAX_DECODED_SIDE / Math.max(width, height));
  const options: ImageBitmapOptions = { premultiplyAlpha: 'none', colorSpaceConversion: 'none' };
  if (shrink < 1) {
    options.resizeWidth = Math.max(1, Math.round(width * shrink));
    options.resizeHeight = Math.max(1, Math.round(height * shrink));
    options.resizeQuality = 'high';
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(source, options);
  } catch {
    throw new ImageFormatError(`cannot decode this ${format} file: its image data is corrupt or truncated, or a variant this browser does not support`);
  }
  try {
    const canvas = makeCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
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
