// Hostile image files, built in the tests (no large binaries in the repository): files that
// declare far more pixels than they hold, as an attacker would craft them.
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { assemblePng } from '../../src/main/digits/png';

/** A valid-looking PNG (correct CRCs): IHDR width×height, 8-bit grey, IDAT = `idat`. */
export function pngWith(width: number, height: number, idat: Uint8Array, colourType = 0): Uint8Array {
  return assemblePng(width, height, colourType, idat);
}

/** The 68-byte PNG: 1×40 000 000 grey pixels declared, IDAT = zlib of 10 zero bytes. */
export function pngBomb(width = 1, height = 40_000_000): Uint8Array {
  return pngWith(width, height, new Uint8Array(deflateSync(new Uint8Array(10))));
}

/** A small real JPEG whose frame header is patched to declare width×height (the 3.5 KB 6000×6000 file). */
export function jpegBomb(width = 6000, height = 6000): Uint8Array {
  const side = 32;
  const data = new Uint8Array(side * side * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37) % 251;
  const bytes = new Uint8Array(jpeg.encode({ width: side, height: side, data }, 80).data);
  for (let i = 2; i + 9 < bytes.length;) {
    const marker = bytes[i + 1];
    if (marker === 0xc0) {
      const v = new DataView(bytes.buffer, bytes.byteOffset);
      v.setUint16(i + 5, height);
      v.setUint16(i + 7, width);
      return bytes;
    }
    i += 2 + ((bytes[i + 2] << 8) | bytes[i + 3]);
  }
  throw new Error('no SOF0 marker in the JPEG');
}
