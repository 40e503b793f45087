// ONNX export of any ModelSpec: each layer kind says which nodes it becomes (keyed by every
// registered type, so a kind without an exporter does not compile). Parameters keep their
// state-dict names and PyTorch layouts as initializers (Gemm with transB=1 reads Linear's
// [out, in] weight as it is), so the ONNX file holds byte for byte the tensors of the
// safetensors file.
import { encodeOnnxModel, type OnnxNode, type OnnxTensorSource } from '../../engine/io/onnx';
import { describeModel } from '../../shared/model/describe';
import type { LayerOf, LayerType } from '../../shared/model/layerKinds';
import type { ModelSpec } from '../../shared/model/spec';

export const ONNX_INPUT = 'pixels';
export const ONNX_OUTPUT = 'logits';

interface LayerExport<K extends LayerType> {
  (layer: LayerOf<K>, input: string, output: string): OnnxNode[];
}

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
  relu: (layer, input, output) => [{ op: 'Relu', name: layer.name, inputs: [input], outputs: [output] }],
};

export interface SpecOnnxOptions {
  metadata?: Record<string, string>;
}

/** `params`: the model's state dict (checked against the spec by the caller). Input `pixels` [N, …spec.input] → `logits` [N, classes]. */
export function encodeSpecOnnx(spec: ModelSpec, params: ReadonlyMap<string, OnnxTensorSource>, options: SpecOnnxOptions = {}): Uint8Array {
  const info = describeModel(spec);
  const nodes: OnnxNode[] = [];
  let current = ONNX_INPUT;
  spec.layers.forEach((layer, i) => {
    const output = i === spec.layers.length - 1 ? ONNX_OUTPUT : `${layer.name}.out`;
    nodes.push(...(LAYER_ONNX[layer.type] as LayerExport<LayerType>)(layer as never, current, output));
    current = output;
  });
  const used = new Set(nodes.flatMap((n) => n.inputs));
  const initializers = [...info.params, ...info.buffers]
    .filter((t) => used.has(t.name))
    .map(({ name }) => {
      const tensor = params.get(name);
      if (!tensor) throw new Error(`ONNX export: the model has no tensor ${name}`);
      return { name, tensor };
    });
  return encodeOnnxModel({
    name: 'digitrain',
    nodes,
    initializers,
    input: { name: ONNX_INPUT, dims: ['N', ...spec.input] },
    output: { name: ONNX_OUTPUT, dims: ['N', ...info.output] },
    metadata: options.metadata,
  });
}
