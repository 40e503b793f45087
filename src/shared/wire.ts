// The WebSocket wire codec, shared by the web host and the browser client.
//
// Messages are JSON, except that typed arrays (weight snapshots, sample pixels) would
// become `{"0":…,"1":…}` objects several times their size. They travel instead as
// `{"$typed":"f32","base64":"…"}`: 4 bytes per float become ~5.3 characters, and
// decoding is a single copy. Object keys that start with `$` get one more `$` on the
// wire (and lose it on arrival), so no ordinary object can pass for a tag.

type TypedKind = 'f32' | 'f64' | 'i32' | 'u8';
type TypedArrayValue = Float32Array | Float64Array | Int32Array | Uint8Array;

const TAG = '$typed';

function kindOf(value: unknown): TypedKind | null {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint8Array) return 'u8';
  return null;
}

export function encodeWire(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    const kind = kindOf(value);
    if (kind) {
      const typed = value as TypedArrayValue;
      return { [TAG]: kind, base64: bytesToBase64(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength)) };
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some(isEscaped)) {
      // The replacer is not called again on what it returns, only on its children.
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[isEscaped(key) ? '$' + key : key] = inner;
      return out;
    }
    return value;
  });
}

/** Parses a wire message. Throws a SyntaxError-like Error with a clear message on bad input. */
export function decodeWire(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`message is not valid JSON: ${(error as Error).message}`);
  }
  return revive(parsed);
}

function isEscaped(key: string): boolean {
  return key.startsWith('$');
}

function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record[TAG] === 'string' && typeof record.base64 === 'string' && Object.keys(record).length === 2) {
    return fromBytes(record[TAG], base64ToBytes(record.base64));
  }
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(record)) out[isEscaped(key) ? key.slice(1) : key] = revive(inner);
  return out;
}

function fromBytes(kind: string, bytes: Uint8Array): TypedArrayValue {
  // `bytes` is a fresh, offset-0 buffer, so the views below are always aligned.
  switch (kind) {
    case 'f32':
      return new Float32Array(bytes.buffer, 0, checkedLength(bytes, 4, kind));
    case 'f64':
      return new Float64Array(bytes.buffer, 0, checkedLength(bytes, 8, kind));
    case 'i32':
      return new Int32Array(bytes.buffer, 0, checkedLength(bytes, 4, kind));
    case 'u8':
      return bytes;
    default:
      throw new Error(`unknown typed array kind '${kind}'`);
  }
}

function checkedLength(bytes: Uint8Array, width: number, kind: string): number {
  if (bytes.byteLength % width !== 0) throw new Error(`${kind} payload of ${bytes.byteLength} bytes is not a multiple of ${width}`);
  return bytes.byteLength / width;
}

// Base64 by hand: Node's Buffer is not in the browser and btoa works on strings only.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const chunk: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63]);
    if (chunk.length === 4096) parts.push(chunk.splice(0).join(''));
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    chunk.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + '==');
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk.push(ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + '=');
  }
  parts.push(chunk.join(''));
  return parts.join('');
}

export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 payload length is not a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = text[i + 2] === '=' ? 0 : sextet(text, i + 2);
    const d = text[i + 3] === '=' ? 0 : sextet(text, i + 3);
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? LOOKUP[code] : -1;
  if (value < 0) throw new Error(`invalid base64 character at ${index}`);
  return value;
}
