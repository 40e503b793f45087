// The frame header (SOF) of a JPEG: its marker, size and components' sampling factors, found
// by walking the marker segments from the start. Shared by the size check (imageHeader.ts)
// and the check of what the file can hold (imageCapacity.ts).

export interface JpegFrame {
  /** SOF0..SOF15 (0xc0..0xcf, without DHT, JPG and DAC). */
  marker: number;
  width: number;
  height: number;
  /** Horizontal and vertical sampling factor of each component. */
  components: { h: number; v: number }[];
}

/** The frame header, or null when the segments end (or break off) before one. */
export function readJpegFrame(bytes: Uint8Array): JpegFrame | null {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      offset += 2; // markers without a length
      continue;
    }
    const length = v.getUint16(offset + 2);
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      // length, precision, height, width, count, then (id, h<<4 | v, table) per component.
      if (offset + 9 > bytes.length) return null;
      const frame: JpegFrame = { marker, height: v.getUint16(offset + 5), width: v.getUint16(offset + 7), components: [] };
      const count = offset + 9 < bytes.length ? bytes[offset + 9] : 0;
      for (let i = 0; i < count; i++) {
        const p = offset + 10 + i * 3 + 1;
        if (p >= bytes.length) break;
        frame.components.push({ h: bytes[p] >> 4, v: bytes[p] & 15 });
      }
      return frame;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame
    offset += 2 + length;
  }
  return null;
}
