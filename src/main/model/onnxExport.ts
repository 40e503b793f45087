// ONNX export of any ModelSpec (opset 13): each layer kind says which nodes it becomes,
// keyed by every registered type, so a kind without an exporter does not compile.
// Parameters keep their state-dict names and PyTorch layouts as initializers (Gemm with
// transB=1 reads Linear's [out, in] weight as it is; Conv reads [out, in, kH, kW]), so the
// ONNX file holds byte for byte the tensors of the safetensors file. The graph is the
// inference graph: batch norm uses its running statistics, dropout is left out.
import { encodeOnnxModel, type OnnxNode, type OnnxTensorSource } from '../../engine/io/onnx';
import { describeModel } from '../../shared/model/describe';
import type { LayerOf, LayerType } from '../../shared/model/layerKinds';
import type { ModelSpec } from '../../shared/model/spec';

export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'logits';

/** What an exporter may add beside its nodes: scalar constants (as float initializers). */
interface ExportContext {
  /** The name of a float32 scalar initializer holding `value`. */
  constant(name: string, value: number): string;
}

/** The nodes a layer becomes, reading `input` and writing `output`; none for a layer inference leaves out. */
type LayerExport<K extends LayerType> = (layer: LayerOf<K>, input: string, output: string, context: ExportContext) => OnnxNode[];

const unary =
  (op: string) =>
  (layer: { name: string }, input: string, output: string): OnnxNode[] => [{ op, name: layer.name, inputs: [input], outputs: [output] }];

const window2d = (kernel: number, stride: number, padding: number) => [
  { name: 'kernel_shape', ints: [kernel, kernel] },
  { name: 'strides', ints: [stride, stride] },
  { name: 'pads', ints: [padding, padding, padding, padding] },
];

export const LAYER_ONNX: { [K in LayerType]: LayerExport<K> } = {
  linear: (layer, input, output) => [
    {
      op: 'Gemm',
      name: layer.name,
      inputs: [input, `${layer.name}.weight`, ...(layer.bias ? [`${layer.name}.bias`] : [])],
      outputs: [output],
      attributes: [{ name: 'transB', int: 1 }],
    },
  ],
  conv2d: (layer, input, output) => [
    {
      op: 'Conv',
      name: layer.name,
      inputs: [input, `${layer.name}.weight`, ...(layer.bias ? [`${layer.name}.bias`] : [])],
      outputs: [output],
      attributes: window2d(layer.kernel, layer.stride, layer.padding),
    },
  ],
  maxpool2d: (layer, input, output) => [{ op: 'MaxPool', name: layer.name, inputs: [input], outputs: [output], attributes: window2d(layer.kernel, layer.stride, layer.padding) }],
  avgpool2d: (layer, input, output) => [
    {
      op: 'AveragePool',
      name: layer.name,
      inputs: [input],
      outputs: [output],
      // PyTorch's count_include_pad=True: padded zeros count in the divisor.
      attributes: [...window2d(layer.kernel, layer.stride, layer.padding), { name: 'count_include_pad', int: 1 }],
    },
  ],
  flatten: (layer, input, output) => [{ op: 'Flatten', name: layer.name, inputs: [input], outputs: [output], attributes: [{ name: 'axis', int: 1 }] }],
  relu: unary('Relu'),
  leakyrelu: (layer, input, output) => [{ op: 'LeakyRelu', name: layer.name, inputs: [input], outputs: [output], attributes: [{ name: 'alpha', float: layer.negativeSlope }] }],
  // Gelu is an operator only from opset 20: the erf form x·(1 + erf(x/√2))/2 in opset 13's nodes.
  gelu: (layer, input, output, context) => {
    const n = layer.name;
    return [
      { op: 'Div', name: `${n}.scale`, inputs: [input, context.constant(`${n}.sqrt2`, Math.SQRT2)], outputs: [`${n}.scaled`] },
      { op: 'Erf', name: `${n}.erf`, inputs: [`${n}.scaled`], outputs: [`${n}.erf_out`] },
      { op: 'Add', name: `${n}.plus_one`, inputs: [`${n}.erf_out`, context.constant(`${n}.one`, 1)], outputs: [`${n}.cdf2`] },
      { op: 'Mul', name: `${n}.times_x`, inputs: [input, `${n}.cdf2`], outputs: [`${n}.doubled`] },
      { op: 'Mul', name: `${n}.half`, inputs: [`${n}.doubled`, context.constant(`${n}.half`, 0.5)], outputs: [output] },
    ];
  },
  elu: (layer, input, output) => [{ op: 'Elu', name: layer.name, inputs: [input], outputs: [output], attributes: [{ name: 'alpha', float: layer.alpha }] }],
  softplus: unary('Softplus'),
  tanh: unary('Tanh'),
  sigmoid: unary('Sigmoid'),
  batchnorm: (layer, input, output) => [
    {
      op: 'BatchNormalization',
      name: layer.name,
      inputs: [input, `${layer.name}.weight`, `${layer.name}.bias`, `${layer.name}.running_mean`, `${layer.name}.running_var`],
      outputs: [output],
      attributes: [{ name: 'epsilon', float: layer.eps }],
    },
  ],
  dropout: () => [],
};

export interface SpecOnnxOptions {
  metadata?: Record<string, string>;
}

/** `params`: the model's state dict (checked against the spec by the caller). Input `pixels` [N, …spec.input] → `logits` [N, classes]. */
export function encodeSpecOnnx(spec: ModelSpec, params: ReadonlyMap<string, OnnxTensorSource>, options: SpecOnnxOptions = {}): Uint8Array {
  const info = describeModel(spec);
  const constants: { name: string; tensor: OnnxTensorSource }[] = [];
  const context: ExportContext = {
    constant(name, value) {
      constants.push({ name, tensor: { data: Float32Array.of(value), shape: [] } });
      return name;
    },
  };
  const nodes: OnnxNode[] = [];
  let current = ONNX_INPUT;
  spec.layers.forEach((layer, i) => {
    const output = i === spec.layers.length - 1 ? ONNX_OUTPUT : `${layer.name}.out`;
    const layerNodes = (LAYER_ONNX[layer.type] as LayerExport<LayerType>)(layer as never, current, output, context);
    nodes.push(...layerNodes);
    if (layerNodes.length > 0) current = output;
  });
  // A last layer left out of inference (dropout) still has to produce the graph's output.
  if (current !== ONNX_OUTPUT) nodes.push({ op: 'Identity', name: 'output', inputs: [current], outputs: [ONNX_OUTPUT] });
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const initializers = info.state
    .filter((t) => used.has(t.name))
    .map(({ name }) => {
      const tensor = params.get(name);
      if (!tensor) throw new Error(`ONNX export: the model has no tensor ${name}`);
      return { name, tensor };
    });
  return encodeOnnxModel({
    name: 'digitrain',
    nodes,
    initializers: [...initializers, ...constants],
    input: { name: ONNX_INPUT, dims: ['N', ...spec.input] },
    output: { name: ONNX_OUTPUT, dims: ['N', ...info.output] },
    metadata: options.metadata,
  });
}
