// One-line descriptions of a model for headers and tooltips, from its description.
import type { ModelInfo } from '../../shared/model/describe';
import { shapeText } from './format';

/** The shapes along the network: the input, then the output of every layer with parameters, joined by arrows (the default model reads as input → 128 → 10). */
export function widthsText(info: ModelInfo): string {
  return [info.input, ...info.layers.filter((l) => l.paramCount > 0).map((l) => l.output)].map(shapeText).join(' → ');
}

/** The ONNX export's signature: `pixels [N, …input] → logits [N, classes]`. */
export function onnxSignature(info: ModelInfo): string {
  return `pixels [N, ${info.input.join(', ')}] → logits [N, ${info.output.join(', ')}]`;
}

/** The state-dict names a PyTorch export holds, shortened past a few. */
export function stateDictNames(info: ModelInfo): string {
  const names = [...info.params, ...info.buffers].map((t) => t.name);
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')} … (${names.length} tensors)`;
}
