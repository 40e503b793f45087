import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, SafetensorsError, type TensorRecord } from '../../src/engine/io/safetensors';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

/** Builds a file by hand, so tests can write headers the encoder would never produce. */
function handMade(header: string | object, data: Uint8Array = new Uint8Array(0), declaredLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function decodeError(bytes: Uint8Array): SafetensorsError {
  try {
    decodeSafetensors(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    return error as SafetensorsError;
  }
  throw new Error('decodeSafetensors accepted a bad file');
}

const f32 = (shape: number[], values: number[]): TensorRecord => ({ dtype: 'F32', shape, data: Float32Array.from(values) });

describe('safetensors round trip', () => {
  it('keeps names, dtypes, shapes, values and metadata', () => {
    const tensors: Record<string, TensorRecord> = {
      'l1.weight': f32([2, 3], [1, -2, 3.5, 1e-30, -0, Infinity]),
      counts: { dtype: 'I64', shape: [3], data: BigInt64Array.from([1n, -(2n ** 62n), 9007199254740993n]) },
      ids: { dtype: 'I32', shape: [2], data: Int32Array.from([-7, 2 ** 31 - 1]) },
      pixels: { dtype: 'U8', shape: [1, 3], data: Uint8Array.from([0, 128, 255]) },
      precise: { dtype: 'F64', shape: [1], data: Float64Array.from([Math.PI]) },
      empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
      scalar: { dtype: 'F32', shape: [], data: Float32Array.from([42]) },
    };
    const bytes = encodeSafetensors(tensors, { format: 'digitrain', note: 'ünïcode ✓' });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);

    const decoded = decodeSafetensors(bytes);
    expect([...decoded.tensors.keys()]).toEqual(Object.keys(tensors));
    for (const [name, record] of Object.entries(tensors)) {
      const got = decoded.tensors.get(name)!;
      expect(got.dtype).toBe(record.dtype);
      expect(got.shape).toEqual(record.shape);
      expect(got.data.constructor).toBe(record.data.constructor);
      expect(Array.from(got.data as ArrayLike<number | bigint>)).toEqual(Array.from(record.data as ArrayLike<number | bigint>));
    }
    expect(decoded.metadata).toEqual({ format: 'digitrain', note: 'ünïcode ✓' });
  });

  it('aligns every tensor to its element size in the file', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'U8', shape: [3], data: Uint8Array.from([1, 2, 3]) }, b: f32([1], [1]), c: { dtype: 'F64', shape: [1], data: Float64Array.from([2]) } });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<string, { data_offsets: [number, number] }>;
    expect(header.c.data_offsets[0] % 8).toBe(0);
    expect(header.b.data_offsets[0] % 4).toBe(0);
  });

  it('reads tensors that sit at unaligned offsets, e.g. inside a larger buffer', () => {
    const bytes = encodeSafetensors({ w: f32([3], [1, 2, 3]) });
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    const decoded = decodeSafetensors(shifted.subarray(1));
    expect(Array.from(decoded.tensors.get('w')!.data as Float32Array)).toEqual([1, 2, 3]);
  });

  it('refuses to encode data that does not match its shape or dtype', () => {
    expect(() => encodeSafetensors({ w: f32([2, 2], [1, 2, 3]) })).toThrow(/"w".*needs 4 elements but data has 3/);
    expect(() => encodeSafetensors({ w: { dtype: 'I64', shape: [1], data: Float32Array.from([1]) } })).toThrow(/dtype I64 does not match/);
    expect(() => encodeSafetensors({ w: f32([1], [1]) }, { n: 3 as unknown as string })).toThrow(/metadata "n" must be a string/);
  });
});

describe('safetensors fixture from PyTorch', () => {
  it('reads the reference MLP initial weights', () => {
    const { tensors, metadata } = decodeSafetensors(fixture('anet-seed0-init.safetensors'));
    expect([...tensors.entries()].map(([name, t]) => [name, t.dtype, t.shape])).toEqual([
      ['l1.weight', 'F32', [128, 784]],
      ['l1.bias', 'F32', [128]],
      ['l2.weight', 'F32', [10, 128]],
      ['l2.bias', 'F32', [10]],
    ]);
    expect(metadata.arch).toBe('784-128-relu-10');
    // PyTorch's init: U(-1/sqrt(784), 1/sqrt(784)).
    const w = tensors.get('l1.weight')!.data as Float32Array;
    expect(Math.max(...w.subarray(0, 5000).map(Math.abs))).toBeLessThanOrEqual(1 / 28);
  });

  it('re-encodes the fixture to a file that decodes identically', () => {
    const original = decodeSafetensors(fixture('anet-seed0-init.safetensors'));
    const again = decodeSafetensors(encodeSafetensors(original.tensors, original.metadata));
    expect(again.tensors.get('l2.bias')!.data).toEqual(original.tensors.get('l2.bias')!.data);
    expect(again.metadata).toEqual(original.metadata);
  });
});

describe('safetensors rejects bad files with a clear error', () => {
  const good = encodeSafetensors({ a: f32([2], [1, 2]), b: f32([1], [3]) });

  it('truncated inside the data', () => {
    expect(decodeError(good.subarray(0, good.length - 2)).message).toMatch(/"b".*run past the end of the data.*truncated/);
  });

  it('truncated inside the length prefix', () => {
    expect(decodeError(good.subarray(0, 5)).message).toMatch(/too short for the 8-byte header length/);
  });

  it('header length past the end of the file', () => {
    expect(decodeError(handMade('{}', new Uint8Array(0), 4096n)).message).toMatch(/header length 4096 runs past the end of the file/);
  });

  it('huge header length', () => {
    expect(decodeError(handMade('{}', new Uint8Array(0), 2n ** 63n)).message).toMatch(/exceeds the limit/);
    expect(decodeError(handMade('{}', new Uint8Array(0), BigInt(MAX_HEADER_BYTES + 1))).message).toMatch(/exceeds the limit/);
  });

  it('out-of-range offset', () => {
    const bytes = handMade({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4));
    expect(decodeError(bytes).message).toMatch(/"w": data_offsets \[0, 8\] run past the end of the data \(4 bytes\)/);
  });

  it('gap between tensors', () => {
    const bytes = handMade({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, new Uint8Array(12));
    expect(decodeError(bytes).message).toMatch(/"b": begins at 8, leaving a gap before "a" which ends at 4/);
  });

  it('overlapping tensors', () => {
    const bytes = handMade({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, new Uint8Array(8));
    expect(decodeError(bytes).message).toMatch(/"b": begins at 4, leaving an overlap with "a"/);
  });

  it('data not starting at 0, and trailing bytes', () => {
    expect(decodeError(handMade({ a: { dtype: 'U8', shape: [1], data_offsets: [1, 2] } }, new Uint8Array(2))).message).toMatch(/"a": begins at 1, leaving a gap before the start of the data/);
    expect(decodeError(handMade({ a: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(3))).message).toMatch(/cover 1 bytes but the data section holds 3; trailing bytes/);
  });

  it('byte size that does not match the shape', () => {
    const bytes = handMade({ w: { dtype: 'F32', shape: [2, 3], data_offsets: [0, 20] } }, new Uint8Array(20));
    expect(decodeError(bytes).message).toMatch(/"w": F32 shape \[2, 3\] needs 24 bytes but data_offsets \[0, 20\] span 20/);
  });

  it('bad JSON, and JSON that is not an object', () => {
    expect(decodeError(handMade('{"w": {"dtype": "F32",')).message).toMatch(/header is not valid JSON/);
    expect(decodeError(handMade('[1, 2]')).message).toMatch(/header must be a JSON object/);
  });

  it('header bytes that are not UTF-8', () => {
    const bytes = new Uint8Array(8 + 2);
    new DataView(bytes.buffer).setBigUint64(0, 2n, true);
    bytes.set([0xff, 0xfe], 8);
    expect(decodeError(bytes).message).toMatch(/not valid UTF-8/);
  });

  it('duplicate tensor names (which JSON.parse would silently merge)', () => {
    const header = '{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    expect(decodeError(handMade(header, new Uint8Array(2))).message).toMatch(/duplicate tensor name "w"/);
  });

  it('duplicate fields inside an entry', () => {
    const header = '{"w":{"dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1]}}';
    expect(decodeError(handMade(header, new Uint8Array(1))).message).toMatch(/duplicate key in "w" "dtype"/);
  });

  it('escaped names are compared after unescaping', () => {
    const header = '{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"\\u0077":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}';
    expect(decodeError(handMade(header, new Uint8Array(2))).message).toMatch(/duplicate tensor name "w"/);
  });

  it('unknown dtype', () => {
    const bytes = handMade({ w: { dtype: 'F17', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4));
    expect(decodeError(bytes).message).toMatch(/"w": unknown dtype "F17"/);
  });

  it('malformed entries name the tensor and the field', () => {
    const entry = (fields: object) => handMade({ w: fields }, new Uint8Array(4));
    expect(decodeError(entry({ shape: [1], data_offsets: [0, 4] })).message).toMatch(/"w": missing dtype/);
    expect(decodeError(entry({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] })).message).toMatch(/"w": shape\[0\] = -1 is not a non-negative integer/);
    expect(decodeError(entry({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] })).message).toMatch(/shape\[0\] = 1.5/);
    expect(decodeError(entry({ dtype: 'F32', shape: 4, data_offsets: [0, 4] })).message).toMatch(/"w": shape must be an array/);
    expect(decodeError(entry({ dtype: 'F32', shape: [1], data_offsets: [0] })).message).toMatch(/"w": data_offsets must be \[begin, end\]/);
    expect(decodeError(entry({ dtype: 'F32', shape: [1], data_offsets: [4, 0] })).message).toMatch(/"w": data_offsets \[4, 0\] end before they begin/);
    expect(decodeError(entry({ dtype: 'F32', shape: [1], data_offsets: [0, 4], extra: 1 })).message).toMatch(/"w": unexpected field "extra"/);
  });

  it('metadata values that are not strings', () => {
    const bytes = handMade({ __metadata__: { step: 5 } });
    expect(decodeError(bytes).message).toMatch(/__metadata__ "step" must be a string/);
  });
});
