// Hostile image files, built in the tests (no large binaries in the repository): files that
// declare far more pixels than they hold, as an attacker would craft them.
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
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
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(Array.from(type, (c) => c.charCodeAt(0)), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A valid-looking PNG (correct CRCs): IHDR width×height, 8-bit grey, IDAT = `idat`. */
export function pngWith(width: number, height: number, idat: Uint8Array, colourType = 0): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, colourType, 0, 0, 0], 8);
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
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
  for (let i = 2; i + 9 < bytes.length; ) {
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
