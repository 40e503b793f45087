// The exported ModelProto, decoded field by field against onnx/onnx.proto.
import { describe, expect, it } from 'vitest';
import { encodeMlpOnnx, ONNX_IR_VERSION, ONNX_OPSET } from '../../src/engine/io/onnx';
import { blobs, ints, messages, readMessage, strings } from './protoReader';

const HIDDEN = 3;
function state(hidden = HIDDEN): Record<string, { data: Float32Array; shape: number[] }> {
  const t = (shape: number[]) => ({ data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i / 100), shape });
  return { 'l1.weight': t([hidden, 784]), 'l1.bias': t([hidden]), 'l2.weight': t([10, hidden]), 'l2.bias': t([10]) };
}

describe('encodeMlpOnnx: ModelProto structure', () => {
  const model = readMessage(encodeMlpOnnx(state(), { metadata: { format: 'digitrain' } }));
  const graph = messages(model, 7)[0];

  it('declares IR version 8 and the default-domain opset 13', () => {
    expect(ints(model, 1)).toEqual([ONNX_IR_VERSION]);
    expect(ONNX_IR_VERSION).toBe(8);
    const [opset] = messages(model, 8);
    expect(strings(opset, 1)).toEqual(['']);
    expect(ints(opset, 2)).toEqual([ONNX_OPSET]);
    expect(ONNX_OPSET).toBe(13);
  });

  it('is the graph Gemm(transB=1) → Relu → Gemm(transB=1)', () => {
    const nodes = messages(graph, 1);
    expect(nodes.map((n) => strings(n, 4)[0])).toEqual(['Gemm', 'Relu', 'Gemm']);
    expect(strings(nodes[0], 1)).toEqual(['pixels', 'l1.weight', 'l1.bias']);
    expect(strings(nodes[1], 1)).toEqual(strings(nodes[0], 2));
    expect(strings(nodes[2], 1)).toEqual([...strings(nodes[1], 2), 'l2.weight', 'l2.bias']);
    expect(strings(nodes[2], 2)).toEqual(['logits']);
    for (const gemm of [nodes[0], nodes[2]]) {
      const [attr] = messages(gemm, 5);
      expect(strings(attr, 1)).toEqual(['transB']);
      expect(ints(attr, 3)).toEqual([1]);
      expect(ints(attr, 20)).toEqual([2]); // AttributeType.INT
    }
  });

  it('stores the parameters as float32 raw_data initializers in PyTorch layout', () => {
    const inits = messages(graph, 5);
    expect(inits.map((t) => strings(t, 8)[0])).toEqual(['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias']);
    expect(inits.map((t) => ints(t, 1))).toEqual([[HIDDEN, 784], [HIDDEN], [10, HIDDEN], [10]]);
    for (const t of inits) expect(ints(t, 2)).toEqual([1]); // FLOAT
    const raw = blobs(inits[0], 9)[0];
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect(raw.byteLength).toBe(HIDDEN * 784 * 4);
    expect(view.getFloat32(5 * 4, true)).toBeCloseTo(0.05, 7);
  });

  it('has input pixels [N, 784] with a symbolic batch and output logits [N, 10]', () => {
    const dimsOf = (info: Map<number, import('./protoReader').ProtoValue[]>) => {
      const tensorType = messages(messages(info, 2)[0], 1)[0];
      expect(ints(tensorType, 1)).toEqual([1]);
      return messages(messages(tensorType, 2)[0], 1).map((d) => strings(d, 2)[0] ?? ints(d, 1)[0]);
    };
    const [input] = messages(graph, 11);
    const [output] = messages(graph, 12);
    expect(strings(input, 1)).toEqual(['pixels']);
    expect(dimsOf(input)).toEqual(['N', 784]);
    expect(strings(output, 1)).toEqual(['logits']);
    expect(dimsOf(output)).toEqual(['N', 10]);
  });

  it('carries metadata as metadata_props', () => {
    const [entry] = messages(model, 14);
    expect([strings(entry, 1)[0], strings(entry, 2)[0]]).toEqual(['format', 'digitrain']);
  });

  it('rejects missing or inconsistent parameters with a message naming them', () => {
    const missing = state();
    delete missing['l2.bias'];
    expect(() => encodeMlpOnnx(missing)).toThrow(/missing parameter "l2.bias"/);
    const mismatched = { ...state(), 'l2.weight': state(5)['l2.weight'] };
    expect(() => encodeMlpOnnx(mismatched)).toThrow(/l2.weight has 5 inputs but l1 has 3 outputs/);
    const badBias = { ...state(), 'l1.bias': state(4)['l1.bias'] };
    expect(() => encodeMlpOnnx(badBias)).toThrow(/l1.bias must have shape \[3\]/);
  });
});
