// The exported ModelProto, decoded field by field against onnx/onnx.proto.
import { describe, expect, it } from 'vitest';
import { ONNX_IR_VERSION, ONNX_OPSET } from '../../src/engine/io/onnx';
import { encodeSpecOnnx } from '../../src/main/model/onnxExport';
import { mlpSpec } from '../../src/shared/model/spec';
import { blobs, ints, messages, readMessage, strings } from './protoReader';

const HIDDEN = 3;
function state(hidden = HIDDEN): Map<string, { data: Float32Array; shape: number[] }> {
  const t = (shape: number[]) => ({ data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i / 100), shape });
  return new Map([
    ['l1.weight', t([hidden, 784])],
    ['l1.bias', t([hidden])],
    ['l2.weight', t([10, hidden])],
    ['l2.bias', t([10])],
  ]);
}

describe('ONNX export of the default spec: ModelProto structure', () => {
  const model = readMessage(encodeSpecOnnx(mlpSpec(HIDDEN), state(), { metadata: { format: 'digitrain' } }));
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

  it('rejects a missing parameter, or one whose values do not fill its shape, with a message naming it', () => {
    const missing = state();
    missing.delete('l2.bias');
    expect(() => encodeSpecOnnx(mlpSpec(HIDDEN), missing)).toThrow(/the model has no tensor l2.bias/);
    const short = state();
    short.set('l1.bias', { data: new Float32Array(2), shape: [HIDDEN] });
    expect(() => encodeSpecOnnx(mlpSpec(HIDDEN), short)).toThrow(/l1.bias has 2 values for shape \[3\]/);
  });

  it('a bias-free linear layer is a Gemm with two inputs', () => {
    const spec = { input: [784], layers: [{ name: 'fc', type: 'linear' as const, out: 10, bias: false }] };
    const weights = new Map([['fc.weight', { data: new Float32Array(7840), shape: [10, 784] }]]);
    const [node] = messages(messages(readMessage(encodeSpecOnnx(spec, weights)), 7)[0], 1);
    expect(strings(node, 1)).toEqual(['pixels', 'fc.weight']);
    expect(strings(node, 2)).toEqual(['logits']);
  });
});
