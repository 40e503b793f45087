// How large each request may be on the web host's WebSocket, by what it can legitimately
// carry, checked on the raw frame's length before it is parsed: a 90 MB `classify` (45 M
// numbers) raised the host's RSS from 409 MB to 1.46 GB, and V8 kept the heap it grew.
//
// Text frames are parsed only when they are no larger than the largest text request;
// binary frames (wire.ts: u32 header length, JSON header, raw arrays) only when their JSON
// header is small and the frame fits the method the header names. Only loadWeights (a weights
// file, as bytes) and addMyDigits (up to a thousand digits' pixels) legitimately carry more
// than a few kilobytes.

import { MAX_WEIGHTS_FILE_BYTES } from '../../shared/weightsFiles';
import { MAX_MY_DIGITS } from '../../shared/myDigits';
import { MNIST_PIXELS } from '../../shared/mnist';
import { REQUEST_NAMES, type RequestName } from '../../shared/rpc';
import { ownValue } from '../../shared/ownKeys';

const KB = 1024;

/** The JSON part of a binary frame: an envelope and a file name, never more. */
export const MAX_BINARY_HEADER_BYTES = 4 * KB;

/** The most bytes a frame of each request can take, envelope included. */
export const REQUEST_BYTE_LIMITS: Readonly<Record<RequestName, number>> = {
  getState: 1 * KB,
  stop: 1 * KB,
  restoreBest: 1 * KB,
  evaluate: 1 * KB,
  saveWeights: 1 * KB,
  exportWeights: 1 * KB,
  // A config: seven numbers and a name.
  train: 4 * KB,
  applySettings: 4 * KB,
  step: 4 * KB,
  reset: 4 * KB,
  // Run ids (at most eight to compare), and a name of 80 characters however they are escaped.
  listRuns: 1 * KB,
  getRuns: 1 * KB,
  renameRun: 2 * KB,
  deleteRun: 1 * KB,
  openRun: 1 * KB,
  exportRun: 1 * KB,
  listMyDigits: 1 * KB,
  deleteMyDigit: 1 * KB,
  evaluateMyDigits: 1 * KB,
  exportMyDigits: 1 * KB,
  // A filter, an order and two numbers; a layer name and a number.
  testPage: 1 * KB,
  inspectUnit: 1 * KB,
  // The labels in the header, then 784 bytes a digit.
  addMyDigits: 4 + MAX_BINARY_HEADER_BYTES + MAX_MY_DIGITS * MNIST_PIXELS + 8,
  // 784 numbers of at most 24 characters each (as JSON writes a double), and commas.
  classify: 32 * KB,
  explain: 32 * KB,
  getHealth: 1 * KB,
  // One test image's index.
  stepGraph: 1 * KB,
  // The header, the file (8-byte aligned) and nothing else.
  loadWeights: 4 + MAX_BINARY_HEADER_BYTES + MAX_WEIGHTS_FILE_BYTES + 8,
};

/** Requests whose bytes need a binary frame; every other request fits MAX_TEXT_FRAME_BYTES as text. */
const BINARY_REQUESTS: readonly RequestName[] = ['loadWeights', 'addMyDigits'];
export const MAX_TEXT_FRAME_BYTES = Math.max(...REQUEST_NAMES.filter((name) => !BINARY_REQUESTS.includes(name)).map((name) => REQUEST_BYTE_LIMITS[name]));
/** The WebSocket's own limit (ws `maxPayload`): larger frames close the connection before their payload is read. */
export const MAX_FRAME_BYTES = REQUEST_BYTE_LIMITS.loadWeights;

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1048576).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${bytes} bytes`;
}

/**
 * Why a frame is refused before anything in it is parsed, or null. For binary frames the JSON
 * header is read (it is small by then) to find the method the frame's size is checked against.
 */
export function oversizeFrame(frame: Uint8Array | string, isBinary: boolean): string | null {
  const length = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength;
  if (!isBinary) {
    if (length <= MAX_TEXT_FRAME_BYTES) return null;
    return `a text message of ${sizeText(length)} is larger than any request can be (at most ${sizeText(MAX_TEXT_FRAME_BYTES)}; only loadWeights and addMyDigits, as binary messages, carry more)`;
  }
  const bytes = frame as Uint8Array;
  if (bytes.byteLength < 4) return null; // the decoder says what is wrong
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (4 + headerLength > bytes.byteLength) return null; // the decoder says it runs past the end
  if (headerLength > MAX_BINARY_HEADER_BYTES) {
    return `a binary message with a ${sizeText(headerLength)} header is not a request (headers are at most ${sizeText(MAX_BINARY_HEADER_BYTES)})`;
  }
  if (length <= MAX_TEXT_FRAME_BYTES) return null;
  let method: unknown;
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength)));
    method = header !== null && typeof header === 'object' ? ownValue(header, 'method') : undefined;
  } catch {
    method = undefined; // refused below by size, or by the decoder
  }
  return requestTooLarge(method, length);
}

/** Why a request of `method` cannot be `length` bytes long, or null. */
export function requestTooLarge(method: unknown, length: number): string | null {
  const known = typeof method === 'string' && Object.hasOwn(REQUEST_BYTE_LIMITS, method);
  const limit = known ? REQUEST_BYTE_LIMITS[method as RequestName] : MAX_TEXT_FRAME_BYTES;
  if (length <= limit) return null;
  const what = known ? `a ${method} request` : 'a message';
  return `${what} of ${sizeText(length)} is larger than it can legitimately be (at most ${sizeText(limit)})`;
}
