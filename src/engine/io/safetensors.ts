// safetensors read/write: an 8-byte little-endian u64 header length N, N bytes of JSON
// header (space-padded), then the raw little-endian bytes of every tensor, back to back.
//
//   { "<name>": { "dtype": "F32", "shape": [128, 784], "data_offsets": [begin, end] }, ...,
//     "__metadata__": { "<key>": "<string>" } }
//
// Offsets are relative to the start of the data section. Decoding validates the whole
// header before it copies a single tensor, so a bad file yields one clear SafetensorsError
// and nothing half-read. Pure: works on bytes, never touches the file system.

import { describeJson, quoted } from './describeJson';
import { findDuplicateKey } from './jsonDuplicateKeys';
import { DTYPES, HOST_IS_LITTLE_ENDIAN, isDtype, swapBytesInPlace, type Dtype, type TensorData, type TensorRecord } from './safetensorsDtypes';

export { DTYPES, type Dtype, type TensorData, type TensorRecord } from './safetensorsDtypes';

export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

export interface DecodedSafetensors {
  tensors: Map<string, TensorRecord>;
  metadata: Record<string, string>;
}

/** Larger headers are refused before any parsing: a corrupt length must not make us decode gigabytes. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

const METADATA_KEY = '__metadata__';
const LENGTH_PREFIX_BYTES = 8;

// ---------------------------------------------------------------- encode

export function encodeSafetensors(tensors: Map<string, TensorRecord> | Record<string, TensorRecord>, metadata?: Record<string, string>): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  for (const [name, record] of entries) checkRecord(name, record);
  if (metadata !== undefined) checkMetadata(metadata);

  // Widest elements first (stable), as the reference implementation does, so every tensor
  // starts at an offset aligned to its element size and readers may view it without copying.
  const layout = entries.map(([name, record], order) => ({ name, record, order })).sort((a, b) => DTYPES[b.record.dtype].bytes - DTYPES[a.record.dtype].bytes || a.order - b.order);

  const offsets = new Map<string, [number, number]>();
  let dataBytes = 0;
  for (const { name, record } of layout) {
    offsets.set(name, [dataBytes, dataBytes + record.data.byteLength]);
    dataBytes += record.data.byteLength;
  }

  const header: Record<string, unknown> = {};
  for (const [name, record] of entries) {
    header[name] = { dtype: record.dtype, shape: [...record.shape], data_offsets: offsets.get(name) };
  }
  if (metadata !== undefined && Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(LENGTH_PREFIX_BYTES + headerBytes + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, LENGTH_PREFIX_BYTES);
  out.fill(0x20, LENGTH_PREFIX_BYTES + json.length, LENGTH_PREFIX_BYTES + headerBytes);

  const dataStart = LENGTH_PREFIX_BYTES + headerBytes;
  for (const { name, record } of layout) {
    const [begin] = offsets.get(name) as [number, number];
    const raw = new Uint8Array(record.data.buffer, record.data.byteOffset, record.data.byteLength);
    out.set(raw, dataStart + begin);
    if (!HOST_IS_LITTLE_ENDIAN) {
      swapBytesInPlace(out.subarray(dataStart + begin, dataStart + begin + raw.length), DTYPES[record.dtype].bytes);
    }
  }
  return out;
}

function checkRecord(name: string, record: TensorRecord): void {
  if (name === '' || name === METADATA_KEY) throw new SafetensorsError(`invalid tensor name ${JSON.stringify(name)}`);
  if (!isDtype(record.dtype)) throw new SafetensorsError(`tensor "${name}": unknown dtype ${JSON.stringify(record.dtype)}`);
  const elements = elementCount(name, record.shape);
  if (!DTYPES[record.dtype].holds(record.data)) {
    throw new SafetensorsError(`tensor "${name}": dtype ${record.dtype} does not match its ${record.data.constructor.name}`);
  }
  if (record.data.length !== elements) {
    throw new SafetensorsError(`tensor "${name}": shape [${record.shape.join(', ')}] needs ${elements} elements but data has ${record.data.length}`);
  }
}

function checkMetadata(metadata: Record<string, string>): void {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new SafetensorsError(`metadata "${key}" must be a string, got ${typeof value}`);
  }
}

// ---------------------------------------------------------------- decode

interface HeaderEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  begin: number;
  end: number;
}

export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  const { json, dataStart } = readHeaderText(bytes);
  const { entries, metadata } = parseHeader(json);
  checkLayout(entries, bytes.length - dataStart);

  const tensors = new Map<string, TensorRecord>();
  for (const entry of entries) {
    tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data: copyTensorData(bytes, dataStart, entry) });
  }
  return { tensors, metadata };
}

function readHeaderText(bytes: Uint8Array): { json: string; dataStart: number } {
  if (bytes.length < LENGTH_PREFIX_BYTES) {
    throw new SafetensorsError(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(`header length ${declared} exceeds the limit of ${MAX_HEADER_BYTES} bytes (a safetensors file starts with the length of its JSON header, in 8 bytes)`);
  }
  const headerBytes = Number(declared);
  if (headerBytes > bytes.length - LENGTH_PREFIX_BYTES) {
    throw new SafetensorsError(`header length ${headerBytes} runs past the end of the file (${bytes.length - LENGTH_PREFIX_BYTES} bytes after the length); the file is truncated or not safetensors`);
  }
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(LENGTH_PREFIX_BYTES, LENGTH_PREFIX_BYTES + headerBytes));
  } catch {
    throw new SafetensorsError('header is not valid UTF-8');
  }
  return { json, dataStart: LENGTH_PREFIX_BYTES + headerBytes };
}

function parseHeader(json: string): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  let header: unknown;
  try {
    header = JSON.parse(json);
  } catch (error) {
    throw new SafetensorsError(`header is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('header must be a JSON object');
  }
  const duplicate = findDuplicateKey(json);
  if (duplicate) {
    const where = duplicate.path === '' ? 'tensor name' : `key in "${duplicate.path}"`;
    throw new SafetensorsError(`duplicate ${where} "${duplicate.key}" in header`);
  }

  const entries: HeaderEntry[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries.push(parseEntry(name, value));
  }
  return { entries, metadata };
}

function parseMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsError(`${METADATA_KEY} must be an object of strings`);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, item] of entries) {
    if (typeof item !== 'string') throw new SafetensorsError(`${METADATA_KEY} ${quoted(key)} must be a string, got ${describeJson(item)}`);
  }
  // From entries: a `__proto__` key stays an ordinary key instead of replacing the prototype.
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseEntry(name: string, value: unknown): HeaderEntry {
  if (name === '') throw new SafetensorsError('tensor with an empty name');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsError(`tensor "${name}": entry must be an object with dtype, shape and data_offsets`);
  }
  const { dtype, shape, data_offsets: offsets, ...extra } = value as Record<string, unknown>;
  const unexpected = Object.keys(extra);
  if (unexpected.length > 0) throw new SafetensorsError(`tensor "${name}": unexpected field "${unexpected[0]}"`);
  if (dtype === undefined) throw new SafetensorsError(`tensor "${name}": missing dtype`);
  if (!isDtype(dtype)) {
    throw new SafetensorsError(`tensor "${name}": unknown dtype ${describeJson(dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
  }
  if (!Array.isArray(shape)) throw new SafetensorsError(`tensor "${name}": shape must be an array of dimensions`);
  const dims = shape.map((dim: unknown, axis) => {
    if (typeof dim !== 'number' || !Number.isSafeInteger(dim) || dim < 0) {
      throw new SafetensorsError(`tensor "${name}": shape[${axis}] = ${describeJson(dim)} is not a non-negative integer`);
    }
    return dim;
  });
  if (!Array.isArray(offsets) || offsets.length !== 2) {
    throw new SafetensorsError(`tensor "${name}": data_offsets must be [begin, end]`);
  }
  const [begin, end] = offsets as unknown[];
  for (const [label, offset] of [
    ['begin', begin],
    ['end', end],
  ] as const) {
    if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
      throw new SafetensorsError(`tensor "${name}": data_offsets ${label} ${describeJson(offset)} is not a non-negative integer`);
    }
  }
  const entry: HeaderEntry = { name, dtype, shape: dims, begin: begin as number, end: end as number };
  if (entry.end < entry.begin) throw new SafetensorsError(`tensor "${name}": data_offsets [${entry.begin}, ${entry.end}] end before they begin`);
  const expected = elementCount(name, dims) * DTYPES[dtype].bytes;
  if (entry.end - entry.begin !== expected) {
    throw new SafetensorsError(`tensor "${name}": ${dtype} shape [${dims.join(', ')}] needs ${expected} bytes but data_offsets [${entry.begin}, ${entry.end}] span ${entry.end - entry.begin}`);
  }
  return entry;
}

/** The tensors must tile the data section exactly: sorted by offset, from 0, no gaps, no overlaps, to the end. */
function checkLayout(entries: HeaderEntry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  let previous: HeaderEntry | null = null;
  for (const entry of sorted) {
    if (entry.end > dataBytes) {
      throw new SafetensorsError(`tensor "${entry.name}": data_offsets [${entry.begin}, ${entry.end}] run past the end of the data (${dataBytes} bytes); the file is truncated or corrupt`);
    }
    if (entry.begin !== expectedBegin) {
      const relation = entry.begin > expectedBegin ? 'a gap before' : 'an overlap with';
      const after = previous ? `"${previous.name}" which ends at ${expectedBegin}` : 'the start of the data (0)';
      throw new SafetensorsError(`tensor "${entry.name}": begins at ${entry.begin}, leaving ${relation} ${after}; offsets must be contiguous`);
    }
    expectedBegin = entry.end;
    previous = entry;
  }
  if (expectedBegin !== dataBytes) {
    throw new SafetensorsError(
      `the tensors cover ${expectedBegin} bytes but the data section holds ${dataBytes}; ${expectedBegin < dataBytes ? 'trailing bytes after the last tensor' : 'the file is truncated'}`,
    );
  }
}

/** Copies into a fresh array: the source may sit at any byte offset, and typed arrays need alignment. */
function copyTensorData(bytes: Uint8Array, dataStart: number, entry: HeaderEntry): TensorData {
  const info = DTYPES[entry.dtype];
  const data = info.create((entry.end - entry.begin) / info.bytes);
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  raw.set(bytes.subarray(dataStart + entry.begin, dataStart + entry.end));
  if (!HOST_IS_LITTLE_ENDIAN) swapBytesInPlace(raw, info.bytes);
  return data;
}

function elementCount(name: string, shape: readonly number[]): number {
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) throw new SafetensorsError(`tensor "${name}": dimension ${dim} is not a non-negative integer`);
    count *= dim;
  }
  if (!Number.isSafeInteger(count)) throw new SafetensorsError(`tensor "${name}": shape [${shape.join(', ')}] is too large`);
  return count;
}
