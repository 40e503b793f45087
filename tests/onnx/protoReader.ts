// A test-only protobuf reader: decodes a message into field number → raw values, so
// tests can check what ProtoWriter and the ONNX encoder produced against the schema.

export type ProtoValue = { wire: 0; value: bigint } | { wire: 2; bytes: Uint8Array } | { wire: 5; float: number };

export function readMessage(bytes: Uint8Array): Map<number, ProtoValue[]> {
  const fields = new Map<number, ProtoValue[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= bytes.length) throw new Error('truncated varint');
      const byte = bytes[pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < bytes.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    let value: ProtoValue;
    if (wire === 0) value = { wire: 0, value: varint() };
    else if (wire === 2) {
      const length = Number(varint());
      if (pos + length > bytes.length) throw new Error('truncated length-delimited field');
      value = { wire: 2, bytes: bytes.subarray(pos, pos + length) };
      pos += length;
    } else if (wire === 5) {
      value = { wire: 5, float: new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getFloat32(0, true) };
      pos += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
    const list = fields.get(field) ?? [];
    list.push(value);
    fields.set(field, list);
  }
  return fields;
}

export function ints(msg: Map<number, ProtoValue[]>, field: number): number[] {
  return (msg.get(field) ?? []).map((v) => {
    if (v.wire !== 0) throw new Error(`field ${field} is not a varint`);
    return Number(BigInt.asIntN(64, v.value));
  });
}

export function blobs(msg: Map<number, ProtoValue[]>, field: number): Uint8Array[] {
  return (msg.get(field) ?? []).map((v) => {
    if (v.wire !== 2) throw new Error(`field ${field} is not length-delimited`);
    return v.bytes;
  });
}

export function strings(msg: Map<number, ProtoValue[]>, field: number): string[] {
  return blobs(msg, field).map((b) => new TextDecoder().decode(b));
}

export function messages(msg: Map<number, ProtoValue[]>, field: number): Map<number, ProtoValue[]>[] {
  return blobs(msg, field).map(readMessage);
}
