import { describe, expect, test } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire } from '../../src/shared/wire';

describe('wire codec', () => {
  test('typed arrays round-trip with their type and values, inside nested messages', () => {
    const weights = new Float32Array([0.5, -1.25, Math.PI, -0, 1e-30, Infinity]);
    const pixels = new Uint8Array([0, 1, 254, 255]);
    const message = { v: 1, event: 'weights', payload: { step: 3, l1Weight: weights, samples: [{ pixels }], ids: new Int32Array([-5, 7]) } };
    const decoded = decodeWire(encodeWire(message)) as typeof message;
    expect(decoded.payload.l1Weight).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded.payload.l1Weight)).toEqual(Array.from(weights));
    expect(decoded.payload.samples[0].pixels).toBeInstanceOf(Uint8Array);
    expect(Array.from(decoded.payload.samples[0].pixels)).toEqual([0, 1, 254, 255]);
    expect(Array.from(decoded.payload.ids)).toEqual([-5, 7]);
    expect(decoded.payload.step).toBe(3);
  });

  test('a view into a larger buffer sends only its own elements', () => {
    const big = new Float32Array([1, 2, 3, 4, 5]);
    const view = big.subarray(1, 3);
    expect(Array.from(decodeWire(encodeWire(view)) as Float32Array)).toEqual([2, 3]);
  });

  test('floats travel compactly (base64, not one JSON number per element)', () => {
    const text = encodeWire(new Float32Array(100_352));
    expect(text.length).toBeLessThan(100_352 * 4 * 1.4);
  });

  test('plain objects that look like tags survive unchanged', () => {
    const tricky = { $typed: 'f32', base64: 'AAAA', nested: { $$x: { a: 1 }, $: [new Uint8Array([9])] } };
    expect(decodeWire(encodeWire(tricky))).toEqual(tricky);
  });

  test('base64 matches Node for every tail length', () => {
    for (let n = 0; n < 10; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(text))).toEqual(Array.from(bytes));
    }
  });

  test('bad input is a clear error', () => {
    expect(() => decodeWire('{nope')).toThrow(/not valid JSON/);
    expect(() => decodeWire('{"$typed":"f32","base64":"AAA"}')).toThrow(/multiple of 4/);
    expect(() => decodeWire('{"$typed":"f32","base64":"AA=="}')).toThrow(/not a multiple of 4/);
    expect(() => decodeWire('{"$typed":"q7","base64":"AAAA"}')).toThrow(/unknown typed array kind/);
    expect(() => decodeWire('{"$typed":"u8","base64":"A*AA"}')).toThrow(/invalid base64 character/);
  });
});
