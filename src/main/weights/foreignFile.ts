// What a file given to Load is, when it is not safetensors: told from its first bytes, so the
// refusal can say what the file is and what Load wants instead. A PNG read as safetensors
// otherwise yields "header length 7575175936672558958 exceeds the limit", which tells a
// learner nothing. Only files that already failed as safetensors are described here, so a
// valid weights file can never be mistaken for something else.

import { sniffFormat } from '../../shared/images/imageHeader';

/** What Load takes, in one sentence every refusal ends with. */
export const LOAD_EXPECTS = 'Load takes a .safetensors file saved by Digitrain or by safetensors.torch.save_file(model.state_dict(), path).';

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

/** Whether `needle` occurs in the first `limit` bytes. */
function contains(bytes: Uint8Array, needle: string, limit = 4096): boolean {
  const pattern = ascii(needle);
  const end = Math.min(bytes.length, limit) - pattern.length;
  for (let i = 0; i <= end; i++) if (startsWith(bytes, pattern, i)) return true;
  return false;
}

/** A protobuf ModelProto as ONNX writers start it: ir_version (field 1, a small varint), then producer_name or the graph. */
function looksLikeOnnx(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x08 && bytes[1] > 0 && bytes[1] < 0x20 && [0x12, 0x1a, 0x22, 0x3a, 0x42].includes(bytes[2]);
}

/** Printable UTF-8 (tabs and line breaks allowed) over the first bytes: a text file. */
function textStart(bytes: Uint8Array): string | null {
  const head = bytes.subarray(0, 512);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.length < bytes.length ? trimPartialCharacter(head) : head);
  } catch {
    return null;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) return null;
  return text;
}

/** The bytes without a multi-byte character cut off at the end. */
function trimPartialCharacter(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  return bytes.subarray(0, end);
}

const PYTORCH_CONVERSION =
  'Convert it in Python: from safetensors.torch import save_file; save_file(torch.load("model.pt"), "model.safetensors") (for a whole saved model, pass its .state_dict()), then load that.';

/**
 * What the file is and what to do instead ("it is a PNG image. …"), when its first bytes say;
 * null when they do not (then the safetensors reader's own message stands). At most ~300
 * characters, so a prefix and the 400-character cap of messageOf leave it whole.
 */
export function describeForeignFile(bytes: Uint8Array): string | null {
  const image = sniffFormat(bytes);
  if (image) return `it is a ${image.toUpperCase()} image. To classify a picture of a digit, drop it on the window. ${LOAD_EXPECTS}`;
  if (startsWith(bytes, ascii('GIF8'))) return `it is a GIF image. ${LOAD_EXPECTS}`;
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    if (contains(bytes, '.pkl') || contains(bytes, 'data/') || contains(bytes, 'version')) {
      return `it is a PyTorch checkpoint (torch.save, a zip of pickles), which Digitrain does not read: unpickling can run code. ${PYTORCH_CONVERSION}`;
    }
    return `it is a ZIP archive (unpack it first). ${LOAD_EXPECTS}`;
  }
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) {
    return `it is a Python pickle (PyTorch's older torch.save format), which Digitrain does not read: unpickling can run code. ${PYTORCH_CONVERSION}`;
  }
  if (startsWith(bytes, [0x89, ...ascii('HDF'), 0x0d, 0x0a, 0x1a, 0x0a])) return `it is an HDF5 file (e.g. a Keras model). ${LOAD_EXPECTS}`;
  if (startsWith(bytes, [0x93, ...ascii('NUMPY')])) return `it is a NumPy array file (.npy). ${LOAD_EXPECTS}`;
  if (looksLikeOnnx(bytes)) {
    return `it is an ONNX model. Digitrain exports ONNX but does not load it: ONNX is a graph to run, not a network to train on. ${LOAD_EXPECTS}`;
  }
  const text = textStart(bytes);
  if (text !== null) {
    const first = text.trimStart();
    if (first.startsWith('{') && /"layers"/.test(first)) {
      return `it looks like a model spec (JSON), not weights: npm run train -- --arch FILE trains it and writes a weights file. ${LOAD_EXPECTS}`;
    }
    const quote = first.slice(0, 40).replace(/\s+/g, ' ');
    return `it is a text file${quote ? ` beginning "${quote}${first.length > 40 ? '…' : ''}"` : ''}. ${LOAD_EXPECTS}`;
  }
  return null;
}
