import { describe, expect, test } from 'vitest';
import { decodeWire, encodeWire } from '../../src/shared/wire';

describe('wire codec', () => {
  test('messages without typed arrays are JSON text', () => {
    const message = { v: 1, id: 3, method: 'train', args: [{ lr: 0.5, epochs: null }] };
    const data = encodeWire(message);
    expect(typeof data).toBe('string');
    expect(decodeWire(data)).toEqual(message);
  });

  test('typed arrays travel as raw bytes in one binary frame, with their type and values', () => {
    const weights = new Float32Array([0.5, -1.25, Math.PI, -0, 1e-30, Infinity]);
    const pixels = new Uint8Array([0, 1, 254, 255, 7]);
    const message = {
      v: 1,
      event: 'weights',
      payload: { step: 3, l1Weight: weights, samples: [{ pixels }, { pixels: new Uint8Array(0) }], ids: new Int32Array([-5, 7]), d: new Float64Array([1 / 3]) },
    };
    const data = encodeWire(message);
    expect(data).toBeInstanceOf(Uint8Array);
    const decoded = decodeWire(data) as typeof message;
    expect(decoded.payload.l1Weight).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.payload.l1Weight)).toEqual(Array.from(weights));
    expect(decoded.payload.samples[0].pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.payload.samples[0].pixels)).toEqual([0, 1, 254, 255, 7]);
    expect(decoded.payload.samples[1].pixels).toHaveLength(0);
    expect(Array.from(decoded.payload.ids)).toEqual([-5, 7]);
    expect(decoded.payload.d[0]).toBe(1 / 3);
    expect(decoded.payload.step).toBe(3);
  });

  test('a weight snapshot costs its raw bytes plus a small header', () => {
    const data = encodeWire({ l1Weight: new Float32Array(100_352), l2Weight: new Float32Array(1280) });
    expect(data.length).toBeLessThan((100_352 + 1280) * 4 + 200);
  });

  test('decodes frames that sit at any offset of a larger buffer (as Node Buffers do)', () => {
    const frame = encodeWire({ w: new Float32Array([1, 2, 3]) }) as Uint8Array;
    const padded = new Uint8Array(frame.length + 3);
    padded.set(frame, 3);
    const decoded = decodeWire(padded.subarray(3)) as { w: Float32Array };
    expect(Array.from(decoded.w)).toEqual([1, 2, 3]);
    expect(Array.from((decodeWire(frame.slice().buffer) as { w: Float32Array }).w)).toEqual([1, 2, 3]);
  });

  test('arrays of a frame handed over as an ArrayBuffer are views into it; of a Buffer-like view, copies', () => {
    const frame = encodeWire({ w: new Float32Array([1, 2, 3]), b: new Uint8Array([7, 8]), d: new Float64Array([0.5]) }) as Uint8Array;
    const owned = frame.slice().buffer;
    const viewed = decodeWire(owned) as { w: Float32Array; b: Uint8Array; d: Float64Array };
    expect([viewed.w.buffer, viewed.b.buffer, viewed.d.buffer]).toEqual([owned, owned, owned]);
    expect([Array.from(viewed.w), Array.from(viewed.b), Array.from(viewed.d)]).toEqual([[1, 2, 3], [7, 8], [0.5]]);

    const pooled = frame.slice();
    const copied = decodeWire(pooled) as { w: Float32Array };
    expect(copied.w.buffer).not.toBe(pooled.buffer);
    pooled.fill(0); // the pool reuses its memory: the decoded array must not change
    expect(Array.from(copied.w)).toEqual([1, 2, 3]);
  });

  test('a view into a larger array sends only its own elements', () => {
    const big = new Float32Array([1, 2, 3, 4, 5]);
    const decoded = decodeWire(encodeWire({ a: big.subarray(1, 3) })) as { a: Float32Array };
    expect(Array.from(decoded.a)).toEqual([2, 3]);
  });

  test('plain objects whose keys look like tags survive unchanged', () => {
    const tricky = { $typed: 'f32', offset: 0, byteLength: 4, nested: { $$x: { a: 1 }, $: [new Uint8Array([9])] } };
    expect(decodeWire(encodeWire(tricky))).toEqual(tricky);
    const plain = { $typed: 'u8', offset: 0 };
    expect(decodeWire(encodeWire(plain))).toEqual(plain);
  });

  test('bad input is a clear error', () => {
    expect(() => decodeWire('{nope')).toThrow(/not valid JSON/);
    expect(() => decodeWire('{"$typed":"f32","offset":0,"byteLength":4}')).toThrow(/outside a binary message/);
    expect(() => decodeWire(new Uint8Array([1, 0]))).toThrow(/too short/);
    expect(() => decodeWire(new Uint8Array([200, 0, 0, 0, 123]))).toThrow(/runs past the end/);
    const frame = (header: string, extra = 0) => {
      const h = new TextEncoder().encode(header);
      const out = new Uint8Array(Math.ceil((4 + h.length) / 8) * 8 + extra);
      new DataView(out.buffer).setUint32(0, h.length, true);
      out.set(h, 4);
      return out;
    };
    expect(() => decodeWire(frame('{"$typed":"f32","offset":0,"byteLength":8}', 4))).toThrow(/runs past the end of the message/);
    expect(() => decodeWire(frame('{"$typed":"f32","offset":0,"byteLength":3}', 8))).toThrow(/not a multiple of 4/);
    expect(() => decodeWire(frame('{"$typed":"q7","offset":0,"byteLength":0}'))).toThrow(/unknown typed array kind "q7"/);
    expect(() => decodeWire(frame('{"$typed":"u8","offset":-8,"byteLength":1}', 8))).toThrow(/bad offset or length/);
    expect(() => decodeWire(frame('{"$typed":"u8","offset":"0","byteLength":1}', 8))).toThrow(/bad offset or length/);
  });
});

/** A binary frame with `header` as its JSON header and `blob` as its blob section. */
function frameOf(header: unknown, blob: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const blobStart = Math.ceil((4 + json.byteLength) / 8) * 8;
  const frame = new Uint8Array(blobStart + blob.byteLength);
  new DataView(frame.buffer).setUint32(0, json.byteLength, true);
  frame.set(json, 4);
  frame.set(blob, blobStart);
  return frame;
}

describe('binary frames decode to no more bytes than they have (issue 26)', () => {
  const blob = new Uint8Array(4096).fill(7);
  const tag = (offset: number, byteLength: number, kind = 'u8') => ({ $typed: kind, offset, byteLength });

  test('a tag repeated for the same bytes is refused before anything is copied', () => {
    const args = Array.from({ length: 83 }, () => tag(0, 4096));
    for (const frame of [frameOf({ v: 1, id: 1, method: 'loadWeights', args }, blob), frameOf({ a: tag(0, 4096), b: [tag(0, 4096)] }, blob)]) {
      expect(() => decodeWire(frame)).toThrow(/overlap/);
      expect(() => decodeWire(frame.slice().buffer as ArrayBuffer)).toThrow(/overlap/);
    }
  });

  test('tags whose ranges overlap in part are refused, whatever their kinds', () => {
    expect(() => decodeWire(frameOf({ a: tag(0, 2048), b: tag(2040, 8) }, blob))).toThrow(/overlap/);
    expect(() => decodeWire(frameOf({ a: tag(8, 64, 'f32'), b: tag(0, 16, 'f64') }, blob))).toThrow(/overlap/);
  });

  test('adjacent ranges and empty arrays (which share an offset) are fine', () => {
    const decoded = decodeWire(frameOf({ a: tag(0, 2048), b: tag(2048, 2048, 'f32'), e: [tag(0, 0), tag(0, 0, 'f64')] }, blob)) as Record<string, unknown>;
    expect((decoded.a as Uint8Array).length).toBe(2048);
    expect((decoded.b as Float32Array).length).toBe(512);
    expect(decoded.e).toEqual([new Uint8Array(0), new Float64Array(0)]);
    // As encodeWire writes them: empty arrays next to full ones.
    const message = { x: new Uint8Array(0), y: new Float32Array([1, 2]), z: new Int32Array(0), w: new Uint8Array([3]) };
    expect(decodeWire(encodeWire(message) as Uint8Array)).toEqual(message);
  });

  test('arrays are views, not copies: into the frame handed over, or into one copy of a borrowed frame', () => {
    const message = { a: new Float32Array(1000).fill(1.5), b: new Uint8Array(3000).fill(9), c: new Int32Array([1, 2, 3]) };
    const frame = encodeWire(message) as Uint8Array;
    const owned = decodeWire(frame.buffer as ArrayBuffer) as typeof message;
    expect(owned).toEqual(message);
    for (const array of Object.values(owned)) expect(array.buffer).toBe(frame.buffer);
    // A view into a bigger (pooled) buffer: copied once, all arrays views into that one copy of the frame's size.
    const pooled = new Uint8Array(frame.byteLength + 64);
    pooled.set(frame, 8);
    const borrowed = decodeWire(pooled.subarray(8, 8 + frame.byteLength)) as typeof message;
    expect(borrowed).toEqual(message);
    expect(borrowed.a.buffer).not.toBe(pooled.buffer);
    expect(borrowed.b.buffer).toBe(borrowed.a.buffer);
    expect(borrowed.c.buffer).toBe(borrowed.a.buffer);
    expect(borrowed.a.buffer.byteLength).toBe(frame.byteLength);
  });
});
