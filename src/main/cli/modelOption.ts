// The model a `train` command line asks for: the default MLP (optionally with --hidden), a
// preset by name (--arch cnn), or the ModelSpec in an --arch JSON file, checked like every
// spec that enters the Node side.
import { mlpSpec, DEFAULT_HIDDEN, type ModelSpec } from '../../shared/model/spec';
import { MAX_SPEC_FILE_BYTES, specFileTooLarge } from '../../shared/model/specFile';
import { FileReadError, readRegularText } from '../files/readRegularFile';
import { ModelSpecError, validateModelSpec } from '../../shared/model/validateSpec';
import { isPresetName, PRESET_NAMES, presetSpec } from '../../shared/model/presets';
import type { TrainCliOptions } from './args';
import { UsageError } from './usageError';

export async function modelFromOptions(options: Pick<TrainCliOptions, 'hidden' | 'arch'>): Promise<ModelSpec> {
  if (options.arch === null) return mlpSpec(options.hidden ?? DEFAULT_HIDDEN);
  if (isPresetName(options.arch)) return presetSpec(options.arch);
  const file = options.arch;
  let text: string;
  try {
    // At most 1 MiB + 1 bytes read, and only from a regular file (not /dev/zero, not a FIFO).
    text = await readRegularText(file, MAX_SPEC_FILE_BYTES, specFileTooLarge);
  } catch (error) {
    if (error instanceof FileReadError) throw new UsageError(error.kind === 'too-large' ? `--arch ${file}: ${error.reason}` : `--arch ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? `no such file, and not a preset (${PRESET_NAMES.join(', ')})` : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new UsageError(`--arch ${file}: ${problem}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--arch ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return validateModelSpec(value);
  } catch (error) {
    if (error instanceof ModelSpecError) throw new UsageError(`--arch ${file}: ${error.message}`);
    throw error;
  }
}

/** One line for logs: `[784] → l1 linear(out 128) → act relu → l2 linear(out 10)`. */
export function describeSpec(spec: ModelSpec): string {
  const layer = (l: ModelSpec['layers'][number]) => {
    const settings = Object.entries(l)
      .filter(([key, value]) => key !== 'name' && key !== 'type' && value !== true)
      .map(([key, value]) => (value === false ? `no ${key}` : `${key} ${value}`));
    return `${l.name} ${l.type}${settings.length > 0 ? `(${settings.join(', ')})` : ''}`;
  };
  return [`[${spec.input.join('×')}]`, ...spec.layers.map(layer)].join(' → ');
}
