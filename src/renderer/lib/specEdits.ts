// What the architecture editor does to a spec, as pure functions: each returns a new spec and
// leaves the old one alone (the store keeps the draft as a value). Settings stay within their
// registry ranges (the fields refuse anything else); names and shapes may not fit while the
// learner works, and checkModelSpec says where.
import { LAYER_KINDS, type LayerSpec, type LayerType } from '../../shared/model/layerKinds';
import { settingProblem, type Setting } from '../../shared/model/settings';
import type { ModelSpec } from '../../shared/model/spec';
import { defaultLayer } from '../../shared/model/validateSpec';

/** The name a new layer of `type` gets: its type without "2d" and the first free number (conv1, linear2, relu1). */
export function freshName(spec: ModelSpec, type: LayerType): string {
  const prefix = type.replace(/2d$/, '');
  const taken = new Set(spec.layers.map((l) => l.name));
  let n = 1;
  while (taken.has(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

/** A new layer of `type` with its default settings, inserted at `index` (0 = first). */
export function insertLayer(spec: ModelSpec, index: number, type: LayerType): ModelSpec {
  const layers = spec.layers.slice();
  layers.splice(clamp(index, 0, layers.length), 0, defaultLayer(type, freshName(spec, type)));
  return { ...spec, layers };
}

export function removeLayer(spec: ModelSpec, index: number): ModelSpec {
  return { ...spec, layers: spec.layers.filter((_, i) => i !== index) };
}

/** Moves the layer at `from` so that it ends up at index `to`. */
export function moveLayer(spec: ModelSpec, from: number, to: number): ModelSpec {
  const layers = spec.layers.slice();
  const target = clamp(to, 0, layers.length - 1);
  if (from < 0 || from >= layers.length || target === from) return spec;
  const [layer] = layers.splice(from, 1);
  layers.splice(target, 0, layer);
  return { ...spec, layers };
}

export function renameLayer(spec: ModelSpec, index: number, name: string): ModelSpec {
  return replaceLayer(spec, index, { ...spec.layers[index], name });
}

/** One setting of one layer; a value outside the setting's range is ignored (the field shows why). */
export function setLayerSetting(spec: ModelSpec, index: number, key: string, value: number | boolean): ModelSpec {
  const layer = spec.layers[index];
  const setting = settingsOf(layer.type)[key];
  if (!setting || settingProblem(setting, value) !== null) return spec;
  return replaceLayer(spec, index, { ...layer, [key]: value } as LayerSpec);
}

/**
 * Another kind of layer in the same place, under the same name: the settings both kinds have
 * keep their values where the new kind allows them (max pooling → average pooling keeps its
 * window), the others take the new kind's defaults.
 */
export function changeLayerType(spec: ModelSpec, index: number, type: LayerType): ModelSpec {
  const old = spec.layers[index] as unknown as Record<string, unknown>;
  if (old.type === type) return spec;
  const layer = defaultLayer(type, spec.layers[index].name) as unknown as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settingsOf(type))) {
    if (Object.hasOwn(old, key) && settingProblem(setting, old[key]) === null) layer[key] = old[key];
  }
  return replaceLayer(spec, index, layer as unknown as LayerSpec);
}

/** A layer kind's settings by key. */
export function settingsOf(type: LayerType): Record<string, Setting> {
  return LAYER_KINDS[type].settings;
}

function replaceLayer(spec: ModelSpec, index: number, layer: LayerSpec): ModelSpec {
  return { ...spec, layers: spec.layers.map((l, i) => (i === index ? layer : l)) };
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** The model's input shape: one of MODEL_INPUTS (flat pixels, or the image). */
export function setInput(spec: ModelSpec, input: readonly number[]): ModelSpec {
  return { ...spec, input: [...input] };
}
