import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../src/engine/io/protobuf';
import { ints, messages, readMessage, strings } from './protoReader';

describe('ProtoWriter', () => {
  it('encodes the varint example from the protobuf docs (field 1 = 150 → 08 96 01)', () => {
    expect([...new ProtoWriter().int(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
  });

  it('encodes a string as tag, length, UTF-8 bytes (field 2 = "testing")', () => {
    const bytes = new ProtoWriter().string(2, 'testing').finish();
    expect([...bytes.subarray(0, 2)]).toEqual([0x12, 0x07]);
    expect(new TextDecoder().decode(bytes.subarray(2))).toBe('testing');
  });

  it('writes negative ints as 10-byte two’s complement, like protobuf int64', () => {
    const bytes = new ProtoWriter().int(3, -1).finish();
    expect(bytes.length).toBe(11);
    expect(ints(readMessage(bytes), 3)).toEqual([-1]);
  });

  it('round-trips large int64 values, floats and nested messages', () => {
    const bytes = new ProtoWriter()
      .int(1, 2 ** 40 + 3)
      .float(2, 1.5)
      .message(3, (m) => m.string(1, 'inner').int(2, 7))
      .message(3, (m) => m.string(1, 'second'))
      .finish();
    const msg = readMessage(bytes);
    expect(ints(msg, 1)).toEqual([2 ** 40 + 3]);
    expect(msg.get(2)).toEqual([{ wire: 5, float: 1.5 }]);
    const inner = messages(msg, 3);
    expect(inner.map((m) => strings(m, 1)[0])).toEqual(['inner', 'second']);
    expect(ints(inner[0], 2)).toEqual([7]);
  });

  it('rejects invalid field numbers and non-integer varints', () => {
    expect(() => new ProtoWriter().int(0, 1)).toThrow(/field number/);
    expect(() => new ProtoWriter().int(1, 0.5)).toThrow(/safe integer/);
  });
});
