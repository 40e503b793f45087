// The idx format of the original MNIST files (http://yann.lecun.com/exdb/mnist/):
//   bytes 0-1: zero; byte 2: element type (0x08 = unsigned byte); byte 3: number of dims;
//   then one big-endian u32 per dim; then the elements, row-major.
// Only unsigned bytes are read: every MNIST file uses them, and other types would need
// big-endian conversion that nothing here needs.

export class IdxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdxError';
  }
}

export interface IdxArray {
  dims: number[];
  /** A view into the input bytes (not a copy), row-major. */
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' };

/** `what` names the input in error messages, e.g. 'train-images-idx3-ubyte'. */
export function parseIdx(bytes: Uint8Array, what = 'idx file'): IdxArray {
  if (bytes.length < 4) throw new IdxError(`${what}: ${bytes.length} bytes is too short for the 4-byte idx magic number`);
  const [zero0, zero1, type, dimCount] = bytes;
  if (zero0 !== 0 || zero1 !== 0 || !(type in TYPE_NAMES)) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    throw new IdxError(`${what}: wrong magic number 0x${magic}; not an idx file (expected 0x0000 08 dd)`);
  }
  if (type !== UNSIGNED_BYTE) {
    throw new IdxError(`${what}: element type 0x${type.toString(16)} (${TYPE_NAMES[type]}) is not supported; only 0x08 (unsigned byte)`);
  }
  if (dimCount === 0) throw new IdxError(`${what}: the magic number declares 0 dimensions`);

  const headerBytes = 4 + 4 * dimCount;
  if (bytes.length < headerBytes) {
    throw new IdxError(`${what}: truncated: ${bytes.length} bytes cannot hold the ${dimCount} dimension sizes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let elements = 1;
  for (let d = 0; d < dimCount; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    elements *= size;
  }
  const expected = headerBytes + elements;
  if (bytes.length !== expected) {
    const problem = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw new IdxError(`${what}: ${problem}: dims [${dims.join(', ')}] need ${expected} bytes in all but the file has ${bytes.length}`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
