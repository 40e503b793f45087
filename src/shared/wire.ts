// The WebSocket wire codec, shared by the web host and the browser client.
//
// A message without typed arrays is a JSON text frame. A message with typed arrays
// (weight snapshots: 400 kB of floats 2×/s; sample pixels; weights files) is one binary
// frame, because JSON would spell every float out and base64 costs ~30 ms per snapshot
// to decode in the browser:
//
//   u32 LE header length | header: UTF-8 JSON | raw array bytes, each 8-byte aligned
//
// In the header each typed array is `{"$typed": kind, "offset": o, "byteLength": n}`
// (offset from the start of the frame). Object keys that start with `$` get one more
// `$` on the wire (and lose it on arrival), so no ordinary object can pass for a tag.

import { checkJsonDepth } from './jsonDepth';
import { objectFromEntries, ownValue } from './ownKeys';

export type WireData = string | Uint8Array;

type TypedKind = 'f32' | 'f64' | 'i32' | 'u8';
type TypedArrayValue = Float32Array | Float64Array | Int32Array | Uint8Array;

const TAG = '$typed';
const ALIGN = 8;
const WIDTH: Record<TypedKind, number> = { f32: 4, f64: 8, i32: 4, u8: 1 };

function kindOf(value: unknown): TypedKind | null {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Float64Array) return 'f64';
  if (value instanceof Int32Array) return 'i32';
  if (value instanceof Uint8Array) return 'u8';
  return null;
}

function isEscaped(key: string): boolean {
  return key.startsWith('$');
}

const align = (n: number) => Math.ceil(n / ALIGN) * ALIGN;

/** A JSON string, or a binary frame when the message holds typed arrays. */
export function encodeWire(message: unknown): WireData {
  const blobs: Uint8Array[] = [];
  let blobBytes = 0;
  const json = JSON.stringify(message, (_key, value: unknown) => {
    const kind = kindOf(value);
    if (kind) {
      const typed = value as TypedArrayValue;
      const bytes = new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
      // Offsets are relative to the blob section until the header's size is known.
      const tag = { [TAG]: kind, offset: blobBytes, byteLength: bytes.byteLength };
      blobs.push(bytes);
      blobBytes += align(bytes.byteLength);
      return tag;
    }
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some(isEscaped)) {
      // The replacer is not called again on what it returns, only on its children.
      return objectFromEntries(Object.entries(value).map(([key, inner]) => [isEscaped(key) ? '$' + key : key, inner]));
    }
    return value;
  });
  if (json === undefined) throw new Error('message cannot be encoded as JSON');
  if (blobs.length === 0) return json;

  const header = new TextEncoder().encode(json);
  const blobStart = align(4 + header.byteLength);
  const frame = new Uint8Array(blobStart + blobBytes);
  new DataView(frame.buffer).setUint32(0, header.byteLength, true);
  frame.set(header, 4);
  let offset = blobStart;
  for (const bytes of blobs) {
    frame.set(bytes, offset);
    offset += align(bytes.byteLength);
  }
  // Tag offsets count from the blob section: the decoder adds blobStart (it knows the header length).
  return frame;
}

/**
 * Parses a wire message (text or binary frame). Throws an Error with a clear message on bad input.
 * A frame passed as an ArrayBuffer is handed over: its typed arrays are views into it, not copies
 * (the browser receives every frame in a buffer of its own; a 400 kB copy per snapshot is garbage).
 * A frame passed as a view (Node's Buffers may share a pooled buffer) is copied once, whole, and
 * its arrays are views into the copy.
 *
 * Typed-array tags must claim disjoint byte ranges: a header repeating one tag ~80 times made
 * the host copy the blob once per tag before anything was validated (issue 26). So what a frame
 * decodes to is never more bytes than the frame itself.
 */
export function decodeWire(data: string | ArrayBuffer | ArrayBufferView): unknown {
  if (typeof data === 'string') return revive(parseJson(data), null);
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength < 4) throw new Error('binary message is too short for its header length');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) throw new Error(`binary message header of ${headerLength} bytes runs past the end`);
  const header = parseJson(new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(4, 4 + headerLength)));
  const blobs: Blobs = { frame: bytes, blobStart: align(4 + headerLength), owned: data instanceof ArrayBuffer, claimed: [], decodedBytes: 0 };
  // Every tag's range is checked before any array is made, so a refused frame costs no copy.
  collectTags(header, blobs);
  checkDisjoint(blobs);
  if (!blobs.owned && blobs.claimed.length > 0) {
    blobs.frame = bytes.slice();
    blobs.owned = true;
  }
  return revive(header, blobs);
}

function parseJson(text: string): unknown {
  // Before parsing: revive() walks the result recursively.
  checkJsonDepth(text, 'the message');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`message is not valid JSON: ${(error as Error).message}`);
  }
}

interface Blobs {
  frame: Uint8Array;
  blobStart: number;
  /** The frame's buffer is ours to keep: arrays may be views into it. */
  owned: boolean;
  /** The non-empty byte ranges [start, end) the header's tags claim, in the frame. */
  claimed: [number, number][];
  /** Bytes of typed arrays decoded so far (never more than the frame's size). */
  decodedBytes: number;
}

/** Checks every tag in `value` and records its range; refuses tags whose bytes overlap. */
function collectTags(value: unknown, blobs: Blobs): void {
  if (Array.isArray(value)) {
    for (const item of value) collectTags(item, blobs);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) {
    const { start, end } = tagRange(record, blobs);
    if (end > start) blobs.claimed.push([start, end]);
    return;
  }
  for (const inner of Object.values(record)) collectTags(inner, blobs);
}

function checkDisjoint(blobs: Blobs): void {
  const ranges = blobs.claimed;
  if (ranges.length < 2) return;
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) {
    if (ranges[i][0] < ranges[i - 1][1]) {
      throw new Error('typed arrays in a binary message overlap (each array must have bytes of its own)');
    }
  }
}

/** The frame range a tag names, after checking its kind, offset and length. */
function tagRange(tag: Record<string, unknown>, blobs: Blobs): { kind: TypedKind; start: number; end: number } {
  const kind = ownValue(tag, TAG);
  const offset = ownValue(tag, 'offset');
  const byteLength = ownValue(tag, 'byteLength');
  if (typeof kind !== 'string' || !Object.hasOwn(WIDTH, kind)) throw new Error(`unknown typed array kind ${JSON.stringify(kind)}`);
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(byteLength) || (offset as number) < 0 || (byteLength as number) < 0) {
    throw new Error('typed array with a bad offset or length');
  }
  const width = WIDTH[kind as TypedKind];
  const start = blobs.blobStart + (offset as number);
  const end = start + (byteLength as number);
  if (end > blobs.frame.byteLength) throw new Error(`typed array of ${byteLength} bytes runs past the end of the message`);
  if ((byteLength as number) % width !== 0) throw new Error(`${kind} data of ${byteLength} bytes is not a multiple of ${width}`);
  return { kind: kind as TypedKind, start, end };
}

function revive(value: unknown, blobs: Blobs | null): unknown {
  if (Array.isArray(value)) return value.map((item) => revive(item, blobs));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, TAG)) return typedArray(record, blobs);
  // From entries, so that a `__proto__` key stays a key instead of replacing the prototype.
  return objectFromEntries(Object.entries(record).map(([key, inner]) => [isEscaped(key) ? key.slice(1) : key, revive(inner, blobs)]));
}

function typedArray(tag: Record<string, unknown>, blobs: Blobs | null): TypedArrayValue {
  if (!blobs) throw new Error('a typed array outside a binary message');
  const { kind, start, end } = tagRange(tag, blobs);
  // collectTags made the ranges disjoint; this bound holds whatever the walk's order.
  blobs.decodedBytes += end - start;
  if (blobs.decodedBytes > blobs.frame.byteLength) throw new Error('a binary message decodes to more bytes than it has');
  const width = WIDTH[kind];
  // A copy only when misaligned for its kind (well-formed frames align every array to 8 bytes).
  const bytes = blobs.owned && start % width === 0 ? blobs.frame.subarray(start, end) : blobs.frame.slice(start, end);
  const length = (end - start) / width;
  switch (kind) {
    case 'f32':
      return new Float32Array(bytes.buffer, bytes.byteOffset, length);
    case 'f64':
      return new Float64Array(bytes.buffer, bytes.byteOffset, length);
    case 'i32':
      return new Int32Array(bytes.buffer, bytes.byteOffset, length);
    case 'u8':
      return bytes;
  }
}
