// ONNX export of the MLP 784 → hidden → ReLU → classes, hand-encoded as a ModelProto.
//
// Graph: pixels [N, in] → Gemm(transB=1) with l1.weight [hidden, in], l1.bias → Relu
//        → Gemm(transB=1) with l2.weight [classes, hidden], l2.bias → logits [N, classes].
// transB=1 lets the initializers keep PyTorch's [out, in] layout, byte for byte the
// same as in the safetensors files. Field numbers are those of onnx/onnx.proto.

import { ProtoWriter } from './protobuf';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

const ELEM_FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTR_INT = 2; // AttributeProto.AttributeType.INT

/** Anything with float32 row-major data and a shape — a Tensor qualifies. */
export interface OnnxTensorSource {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export interface MlpOnnxOptions {
  inputName?: string;
  outputName?: string;
  producerVersion?: string;
  /** Stored as the model's metadata_props (visible in Netron, onnxruntime's modelMetadata). */
  metadata?: Record<string, string>;
}

const PARAM_NAMES = ['l1.weight', 'l1.bias', 'l2.weight', 'l2.bias'] as const;

/** Encode an MLP state dict (`l1.weight`, `l1.bias`, `l2.weight`, `l2.bias`) as an ONNX model. */
export function encodeMlpOnnx(
  state: ReadonlyMap<string, OnnxTensorSource> | Readonly<Record<string, OnnxTensorSource>>,
  options: MlpOnnxOptions = {},
): Uint8Array {
  const get = (name: string): OnnxTensorSource | undefined =>
    state instanceof Map ? state.get(name) : (state as Readonly<Record<string, OnnxTensorSource>>)[name];
  const params = PARAM_NAMES.map((name) => {
    const tensor = get(name);
    if (!tensor) throw new Error(`ONNX export: missing parameter "${name}"`);
    return { name, tensor };
  });
  const [w1, b1, w2, b2] = params.map((p) => p.tensor);
  const [hidden, inFeatures] = dims2(w1, 'l1.weight');
  const [classes, hidden2] = dims2(w2, 'l2.weight');
  if (hidden2 !== hidden) throw new Error(`ONNX export: l2.weight has ${hidden2} inputs but l1 has ${hidden} outputs`);
  expectShape(b1, [hidden], 'l1.bias');
  expectShape(b2, [classes], 'l2.bias');

  const input = options.inputName ?? 'pixels';
  const output = options.outputName ?? 'logits';

  const model = new ProtoWriter()
    .int(1, ONNX_IR_VERSION)
    .string(2, 'digitrain')
    .string(3, options.producerVersion ?? '')
    .message(7, (graph) => {
      graph.message(1, gemmNode('l1', [input, 'l1.weight', 'l1.bias'], 'l1.out'));
      graph.message(1, (node) => node.string(1, 'l1.out').string(2, 'hidden').string(3, 'relu').string(4, 'Relu'));
      graph.message(1, gemmNode('l2', ['hidden', 'l2.weight', 'l2.bias'], output));
      graph.string(2, 'digitrain_mlp');
      for (const { name, tensor } of params) graph.message(5, floatInitializer(name, tensor));
      graph.message(11, valueInfo(input, ['N', inFeatures]));
      graph.message(12, valueInfo(output, ['N', classes]));
    })
    .message(8, (opset) => opset.string(1, '').int(2, ONNX_OPSET));
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    model.message(14, (entry) => entry.string(1, key).string(2, value));
  }
  return model.finish();
}

function gemmNode(name: string, inputs: string[], output: string): (w: ProtoWriter) => void {
  return (node) => {
    for (const input of inputs) node.string(1, input);
    node.string(2, output).string(3, name).string(4, 'Gemm');
    node.message(5, (attr) => attr.string(1, 'transB').int(3, 1).int(20, ATTR_INT));
  };
}

function floatInitializer(name: string, tensor: OnnxTensorSource): (w: ProtoWriter) => void {
  return (t) => {
    for (const d of tensor.shape) t.int(1, d);
    t.int(2, ELEM_FLOAT).string(8, name).bytes(9, float32LittleEndian(tensor.data));
  };
}

/** A dimension is a fixed size or a symbolic name (the batch). */
function valueInfo(name: string, dims: (number | string)[]): (w: ProtoWriter) => void {
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

function dims2(tensor: OnnxTensorSource, name: string): [number, number] {
  if (tensor.shape.length !== 2) throw new Error(`ONNX export: ${name} must be 2-D, got [${tensor.shape.join(', ')}]`);
  expectShape(tensor, tensor.shape, name);
  return [tensor.shape[0], tensor.shape[1]];
}

function expectShape(tensor: OnnxTensorSource, shape: readonly number[], name: string): void {
  const same = tensor.shape.length === shape.length && tensor.shape.every((d, i) => d === shape[i]);
  if (!same) throw new Error(`ONNX export: ${name} must have shape [${shape.join(', ')}], got [${tensor.shape.join(', ')}]`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== size) throw new Error(`ONNX export: ${name} has ${tensor.data.length} values for shape [${shape.join(', ')}]`);
}
