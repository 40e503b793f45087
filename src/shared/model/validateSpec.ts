// Checking a ModelSpec that came from outside (a request, a weights file, an --arch file):
// structure, names, each layer's settings against its registry entry, and the shapes layer
// by layer, then what the model costs per image (cost.ts). The first problem is refused with a message that names the layer and the reason;
// a valid spec comes back normalised (every setting explicit, defaults filled in).
import { MNIST_CLASSES, MNIST_COLS, MNIST_PIXELS, MNIST_ROWS } from '../mnist';
import { costProblem, modelCost } from './cost';
import { describeModel, type ModelInfo } from './describe';
import { isLayerType, LAYER_KINDS, LAYER_TYPES, type LayerOf, type LayerSpec, type LayerType } from './layerKinds';
import { LayerShapeError } from './layerKind';
import { describeValue, isRecord, settingProblem, type Setting } from './settings';
import { formatShape, sameShape, type Shape } from './shape';
import { badName, layerNameProblem } from './layerName';
import type { ModelSpec } from './spec';

export const MAX_LAYERS = 64;
export const MAX_PARAMS = 10_000_000;
export { LAYER_NAME, MAX_NAME_LENGTH, layerNameProblem } from './layerName';
/** The inputs a spec may declare: flat pixels, or a one-channel image (NCHW without N). */
export const MODEL_INPUTS: readonly (readonly number[])[] = [[MNIST_PIXELS], [1, MNIST_ROWS, MNIST_COLS]];

/** A spec that cannot be trained; the message names the layer and says why. */
export class ModelSpecError extends Error {
  override name = 'ModelSpecError';
}

/** A well-formed spec that costs more than Digitrain's budgets (memory or operations per image): the spec is fine, the machine's limits are not. */
export class ModelCostError extends ModelSpecError {
  override name = 'ModelCostError';
}

export function validateModelSpec(value: unknown): ModelSpec {
  return inspectModelSpec(value).spec;
}

/** Validates and describes in one pass (the description is needed by most callers anyway). */
export function inspectModelSpec(value: unknown): { spec: ModelSpec; info: ModelInfo } {
  if (!isRecord(value)) throw new ModelSpecError(`a model must be an object { input, layers } (got ${describeValue(value)})`);
  for (const key of Object.keys(value)) {
    if (key !== 'input' && key !== 'layers') throw new ModelSpecError(`a model has only "input" and "layers" (got "${key.slice(0, 40)}")`);
  }
  const input = validateInput(value.input);
  if (!Array.isArray(value.layers) || value.layers.length === 0) throw new ModelSpecError('a model needs a non-empty list of layers');
  if (value.layers.length > MAX_LAYERS) throw new ModelSpecError(`a model may have at most ${MAX_LAYERS} layers (got ${value.layers.length})`);
  const names = new Set<string>();
  const layers = value.layers.map((raw: unknown, index: number) => validateLayer(raw, index, names));
  const spec: ModelSpec = { input, layers };
  let info: ModelInfo;
  try {
    info = describeModel(spec);
  } catch (error) {
    if (error instanceof LayerShapeError) throw new ModelSpecError(error.message);
    throw error;
  }
  const problem = outputProblem(layers, info.output) ?? paramCountProblem(info.paramCount);
  if (problem) throw new ModelSpecError(problem);
  // Before anything is allocated: what one image costs in operations and memory (cost.ts).
  const tooCostly = costProblem(modelCost(info));
  if (tooCostly) throw new ModelCostError(tooCostly);
  return { spec, info };
}

/** Why a model whose layers produce `output` does not give one score per digit, or null. */
export function outputProblem(layers: readonly LayerSpec[], output: Shape): string | null {
  if (sameShape(output, [MNIST_CLASSES])) return null;
  const last = layers[layers.length - 1];
  return `the model must end with ${MNIST_CLASSES} outputs, one score per digit, but its last layer "${last.name}" (${last.type}) gives ${formatShape(output)}`;
}

/** Why a model of this many parameters is not trained, or null. */
export function paramCountProblem(paramCount: number): string | null {
  return paramCount > MAX_PARAMS ? `the model has ${paramCount.toLocaleString('en-US')} parameters; Digitrain trains at most ${MAX_PARAMS.toLocaleString('en-US')}` : null;
}

function validateInput(value: unknown): number[] {
  const allowed = MODEL_INPUTS.map((shape) => formatShape(shape)).join(' or ');
  if (!Array.isArray(value) || !MODEL_INPUTS.some((shape) => sameShape(shape, value as number[]))) {
    throw new ModelSpecError(`the model's input must be ${allowed} (got ${Array.isArray(value) ? formatShape(value.slice(0, 8)) : describeValue(value)})`);
  }
  return [...(value as number[])];
}

/** A layer of `type` with every setting at its default, normalised as validation would. */
export function defaultLayer<T extends LayerType>(type: T, name: string): LayerOf<T> {
  return withSettings({}, name, type) as LayerOf<T>;
}

function validateLayer(raw: unknown, index: number, names: Set<string>): LayerSpec {
  const where = `layer ${index + 1}`;
  if (!isRecord(raw)) throw new ModelSpecError(`${where} must be an object { name, type, …settings } (got ${describeValue(raw)})`);
  const name = raw.name;
  if (typeof name !== 'string') throw new ModelSpecError(`${where} ${badName(name)}`);
  const problem = layerNameProblem(name, index, names);
  if (problem) throw new ModelSpecError(problem.message);
  names.add(name);
  const type = raw.type;
  if (!isLayerType(type)) {
    throw new ModelSpecError(`layer "${name}": unknown type ${describeValue(type)} (known: ${LAYER_TYPES.join(', ')})`);
  }
  return withSettings(raw, name, type);
}

/** The layer with its settings checked against its kind's, and the missing ones at their defaults. */
function withSettings(raw: Record<string, unknown>, name: string, type: LayerType): LayerSpec {
  const settings: Record<string, Setting> = LAYER_KINDS[type].settings;
  const out: Record<string, unknown> = { name, type };
  for (const key of Object.keys(raw)) {
    if (key !== 'name' && key !== 'type' && !Object.hasOwn(settings, key)) {
      const known = Object.keys(settings);
      throw new ModelSpecError(`layer "${name}" (${type}): unknown setting "${key.slice(0, 40)}" (${known.length > 0 ? `known: ${known.join(', ')}` : 'it has no settings'})`);
    }
  }
  for (const [key, setting] of Object.entries(settings)) {
    const fallback = setting.kind !== 'bool' && setting.defaultFrom !== undefined ? out[setting.defaultFrom] : setting.default;
    const value = Object.hasOwn(raw, key) ? raw[key] : fallback;
    const problem = settingProblem(setting, value);
    if (problem) throw new ModelSpecError(`layer "${name}" (${type}): ${key} ${problem}`);
    out[key] = value;
  }
  return out as unknown as LayerSpec;
}
