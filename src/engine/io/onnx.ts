// ONNX export: a graph of nodes and float32 initializers, hand-encoded as a ModelProto.
// What the nodes are is the caller's business (the app walks its model's layers); this file
// only knows the format. Field numbers are those of onnx/onnx.proto.

import { ProtoWriter } from './protobuf';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

const ELEM_FLOAT = 1; // TensorProto.DataType.FLOAT
/** AttributeProto.AttributeType */
const ATTR = { FLOAT: 1, INT: 2, FLOATS: 6, INTS: 7 } as const;

/** Anything with float32 row-major data and a shape — a Tensor qualifies. */
export interface OnnxTensorSource {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export type OnnxAttribute = { name: string; int: number } | { name: string; float: number } | { name: string; ints: readonly number[] } | { name: string; floats: readonly number[] };

export interface OnnxNode {
  op: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly OnnxAttribute[];
}

/** A graph input or output; a dimension is a fixed size or a symbolic name (the batch). */
export interface OnnxValue {
  name: string;
  dims: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly { name: string; tensor: OnnxTensorSource }[];
  input: OnnxValue;
  output: OnnxValue;
  producerVersion?: string;
  /** Stored as the model's metadata_props (visible in Netron, onnxruntime's modelMetadata). */
  metadata?: Record<string, string>;
}

export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  for (const { name, tensor } of graph.initializers) checkTensor(name, tensor);
  const model = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'digitrain')
    .string(3, graph.producerVersion ?? '')
    .message(7, (g) => {
      for (const node of graph.nodes) g.message(1, nodeProto(node));
      g.string(2, graph.name);
      for (const { name, tensor } of graph.initializers) g.message(5, floatInitializer(name, tensor));
      g.message(11, valueInfo(graph.input));
      g.message(12, valueInfo(graph.output));
    })
    .message(8, (opset) => opset.string(1, '').int(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(graph.metadata ?? {})) {
    model.message(14, (entry) => entry.string(1, key).string(2, value));
  }
  return model.finish();
}

function nodeProto(node: OnnxNode): (w: ProtoWriter) => void {
  return (w) => {
    for (const input of node.inputs) w.string(1, input);
    for (const output of node.outputs) w.string(2, output);
    w.string(3, node.name).string(4, node.op);
    for (const attr of node.attributes ?? []) w.message(5, attributeProto(attr));
  };
}

function attributeProto(attr: OnnxAttribute): (w: ProtoWriter) => void {
  return (w) => {
    w.string(1, attr.name);
    if ('int' in attr) w.int(3, attr.int).int(20, ATTR.INT);
    else if ('float' in attr) w.float(2, attr.float).int(20, ATTR.FLOAT);
    else if ('ints' in attr) {
      for (const v of attr.ints) w.int(8, v);
      w.int(20, ATTR.INTS);
    } else {
      for (const v of attr.floats) w.float(7, v);
      w.int(20, ATTR.FLOATS);
    }
  };
}

function floatInitializer(name: string, tensor: OnnxTensorSource): (w: ProtoWriter) => void {
  return (t) => {
    for (const d of tensor.shape) t.int(1, d);
    t.int(2, ELEM_FLOAT).string(8, name).bytes(9, float32LittleEndian(tensor.data));
  };
}

function valueInfo({ name, dims }: OnnxValue): (w: ProtoWriter) => void {
  return (info) =>
    info.string(1, name).message(2, (type) =>
      type.message(1, (tensorType) =>
        tensorType.int(1, ELEM_FLOAT).message(2, (shape) => {
          for (const d of dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }),
      ),
    );
}

function float32LittleEndian(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  return out;
}

function checkTensor(name: string, tensor: OnnxTensorSource): void {
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== size) throw new Error(`ONNX export: ${name} has ${tensor.data.length} values for shape [${tensor.shape.join(', ')}]`);
}
