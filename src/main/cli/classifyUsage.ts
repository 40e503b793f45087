// `npm run classify -- --help` (classify.ts runs as soon as it is loaded, so its usage lives here).
import { optionLines, pipeNote } from './usage';

export const CLASSIFY_USAGE = `usage: npm run classify -- --weights model.safetensors image.png [more images…] [--json]

Classifies PNG, JPEG, WebP or BMP images of handwritten digits with a Digitrain
(or PyTorch state_dict) safetensors file.

${optionLines([
  ['--weights, -w FILE', "the model's weights (required)"],
  ['--json', 'print one JSON array: {file, predicted, probabilities} or {file, error} per image'],
  ['--help, -h', 'show this help'],
])}

${pipeNote('classify', 'the results (with --json, as one JSON array)')}`;
