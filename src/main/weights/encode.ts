// Writing weights: the app's file (state dict + metadata, optionally the optimizer state),
// the weights-only export PyTorch's `load_state_dict` takes unchanged, and ONNX. The spec
// decides which tensors are written, in its order, with its shapes.

import { encodeSafetensors, type TensorRecord } from '../../engine/io/safetensors';
import type { OptimizerState } from '../../engine/optim';
import { describeModel, type ModelInfo } from '../../shared/model/describe';
import { formatShape, sameShape, sizeOf } from '../../shared/model/shape';
import type { ModelSpec } from '../../shared/model/spec';
import { encodeSpecOnnx } from '../model/onnxExport';
import type { ParamSource } from '../training/session';
import { META } from './format';
import { buildWeightsMetadata, type WeightsInfo } from './metadata';
import { optimizerToTensors } from './optimizerTensors';
import { assertFiniteForSaving } from './finite';

export type { ParamSource };
export type ParamsSource = ReadonlyMap<string, ParamSource>;

export interface WeightsToSave extends WeightsInfo {
  /** `model.stateDict()`. */
  params: ParamsSource;
  /** `optimizer.stateDict()`, to resume exactly; omit for weights only. */
  optimizer?: OptimizerState | null;
}

export function encodeWeightsFile(save: WeightsToSave): Uint8Array {
  const info = describeModel(save.config.model);
  const records = stateRecords(info, save.params);
  const metadata = buildWeightsMetadata(save);
  if (save.optimizer) {
    const optim = optimizerToTensors(save.optimizer, info.params);
    for (const [name, record] of optim.tensors) records.set(name, record);
    Object.assign(metadata, optim.metadata);
  }
  return encodeSafetensors(records, metadata);
}

/**
 * The state dict only, F32, in the model's order, with `{"format":"pt"}` metadata as
 * `safetensors.torch.save_file` writes it, plus the spec under `model` (and the step and test
 * accuracy when known) so Digitrain reads the file back: loads into `nn.Sequential(OrderedDict(...))` built from the spec.
 */
export function encodePytorchExport(spec: ModelSpec, params: ParamsSource, info?: { step: number; testAccuracy: number | null }): Uint8Array {
  const metadata: Record<string, string> = { format: 'pt', [META.model]: JSON.stringify(spec) };
  if (info) {
    metadata[META.step] = String(info.step);
    if (info.testAccuracy !== null) metadata[META.testAccuracy] = String(info.testAccuracy);
  }
  return encodeSafetensors(stateRecords(describeModel(spec), params), metadata);
}

export function encodeOnnxExport(spec: ModelSpec, params: ParamsSource, info?: WeightsInfo): Uint8Array {
  const model = describeModel(spec);
  stateRecords(model, params); // the same checks as the other formats
  return encodeSpecOnnx(spec, params, { metadata: info ? buildWeightsMetadata(info) : {} });
}

function stateRecords(info: ModelInfo, params: ParamsSource): Map<string, TensorRecord> {
  const expected = info.state;
  const names = new Set(expected.map((t) => t.name));
  const extra = [...params.keys()].filter((name) => !names.has(name));
  if (extra.length > 0) throw new Error(`the model has tensors its spec does not describe: ${extra.join(', ')}`);
  const records = new Map<string, TensorRecord>();
  for (const { name, shape, dtype } of expected) {
    const param = params.get(name);
    if (!param) throw new Error(`the model has no tensor ${name}`);
    if (!sameShape(param.shape, shape) || param.data.length !== sizeOf(shape)) {
      throw new Error(`tensor ${name} has shape ${formatShape(param.shape)}, the spec says ${formatShape(shape)}`);
    }
    assertFiniteForSaving(`the model's ${name}`, param.data);
    // The engine keeps every tensor as float32; a counter PyTorch keeps as int64 is written as int64.
    const data = dtype === 'I64' ? BigInt64Array.from(param.data, (v) => BigInt(Math.round(v))) : param.data;
    records.set(name, { dtype: dtype ?? 'F32', shape: [...shape], data });
  }
  return records;
}
