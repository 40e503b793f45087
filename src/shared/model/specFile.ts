// A model spec as a file: the JSON that `npm run train -- --arch FILE.json` reads and the
// architecture editor imports and exports. Checked like every spec (validateModelSpec).
import type { ModelSpec } from './spec';
import { ModelSpecError, validateModelSpec } from './validateSpec';

/** Largest spec file read: a spec of the most layers with long names is a few kilobytes. */
export const MAX_SPEC_FILE_BYTES = 1024 * 1024;

/** Why a spec file of `bytes` is not read, or null. */
export function specFileTooLarge(bytes: number): string | null {
  return bytes > MAX_SPEC_FILE_BYTES ? `${bytes} bytes is too large for a model description` : null;
}

/** The spec in a file's text, normalised; a ModelSpecError says what is wrong (not JSON, or which layer and why). */
export function parseSpecJson(text: string): ModelSpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelSpecError(`not valid JSON: ${(error as Error).message}`);
  }
  return validateModelSpec(value);
}

/** The file's text: JSON with one layer a line, so the file reads like the network. */
export function specJson(spec: ModelSpec): string {
  const layers = spec.layers.map((layer) => `    ${JSON.stringify(layer)}`).join(',\n');
  return `{\n  "input": ${JSON.stringify(spec.input)},\n  "layers": [\n${layers}\n  ]\n}\n`;
}
