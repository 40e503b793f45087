// Writing weights: the app's file (parameters + metadata, optionally the optimizer
// state), the weights-only export PyTorch's `load_state_dict` takes unchanged, and ONNX.

import { encodeMlpOnnx } from '../../engine/io/onnx';
import { encodeSafetensors, type TensorRecord } from '../../engine/io/safetensors';
import type { OptimizerState } from '../../engine/optim';
import { PARAM_NAMES, paramShapes, sameShape, shapeText, type ParamName } from './format';
import { buildWeightsMetadata, type WeightsInfo } from './metadata';
import { optimizerToTensors } from './optimizerTensors';
import { assertFiniteForSaving } from './finite';

/** A parameter as the model holds it (a Tensor qualifies). */
export interface ParamSource {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

export type ParamsSource = ReadonlyMap<string, ParamSource>;

export interface WeightsToSave extends WeightsInfo {
  /** `model.stateDict()`. */
  params: ParamsSource;
  /** `optimizer.stateDict()`, to resume exactly; omit for weights only. */
  optimizer?: OptimizerState | null;
}

export function encodeWeightsFile(save: WeightsToSave): Uint8Array {
  const records = paramRecords(save.params, save.config.hidden);
  const metadata = buildWeightsMetadata(save);
  if (save.optimizer) {
    const optim = optimizerToTensors(save.optimizer, paramShapes(save.config.hidden));
    for (const [name, record] of optim.tensors) records.set(name, record);
    Object.assign(metadata, optim.metadata);
  }
  return encodeSafetensors(records, metadata);
}

/**
 * Exactly `l1.weight, l1.bias, l2.weight, l2.bias`, F32, contiguous, in that order, with
 * `{"format":"pt"}` metadata as `safetensors.torch.save_file` writes it.
 */
export function encodePytorchExport(params: ParamsSource): Uint8Array {
  return encodeSafetensors(paramRecords(params, hiddenOf(params)), { format: 'pt' });
}

export function encodeOnnxExport(params: ParamsSource, info?: WeightsInfo): Uint8Array {
  const hidden = hiddenOf(params);
  paramRecords(params, hidden); // the same checks as the other formats
  const metadata: Record<string, string> = info ? buildWeightsMetadata(info) : {};
  return encodeMlpOnnx(params, { metadata });
}

export function hiddenOf(params: ParamsSource): number {
  const w1 = params.get('l1.weight');
  if (!w1 || w1.shape.length !== 2) throw new Error('the model has no 2-D l1.weight');
  return w1.shape[0];
}

function paramRecords(params: ParamsSource, hidden: number): Map<string, TensorRecord> {
  const shapes = paramShapes(hidden);
  const extra = [...params.keys()].filter((name) => !(PARAM_NAMES as readonly string[]).includes(name));
  if (extra.length > 0) throw new Error(`the model has parameters a weights file does not hold: ${extra.join(', ')}`);
  const records = new Map<string, TensorRecord>();
  for (const name of PARAM_NAMES) {
    const param = params.get(name);
    if (!param) throw new Error(`the model has no parameter ${name}`);
    checkShape(name, param, shapes[name]);
    assertFiniteForSaving(`the model's ${name}`, param.data);
    records.set(name, { dtype: 'F32', shape: [...param.shape], data: param.data });
  }
  return records;
}

function checkShape(name: ParamName, param: ParamSource, shape: number[]): void {
  if (!sameShape(param.shape, shape) || param.data.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new Error(`parameter ${name} has shape ${shapeText(param.shape)}, expected ${shapeText(shape)}`);
  }
}
