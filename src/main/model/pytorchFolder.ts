// "Export for PyTorch": one folder, the same from the app and from `npm run export`:
//   model.py             build() → nn.Sequential(OrderedDict(...)); load() reads weights.safetensors
//   weights.safetensors  the state dict, with the spec under "model" in its metadata (Digitrain reads it back)
//   train.py             the run's recipe as a plain PyTorch script (one process or torchrun)
//   README.md            how to use the three
// Where a folder cannot be chosen (the browser), the same files go as a zip of the folder.
import { zipSync } from 'fflate';
import type { TrainConfig } from '../../shared/contract';
import { presetOf } from '../../shared/model/presets';
import { mlpHidden, type ModelSpec } from '../../shared/model/spec';
import type { WeightsFileBytes } from '../../shared/weightsFiles';
import { encodePytorchExport, type ParamsSource } from '../weights/encode';
import { pytorchModelSource } from './pythonExport';
import { pytorchTrainSource } from './pythonTrain';

export interface PytorchFolder {
  /** The folder's name, e.g. `digitrain_cnn_step300_pytorch` (underscores: Python module rules). */
  name: string;
  files: WeightsFileBytes[];
}

export interface PytorchExportInput {
  config: TrainConfig;
  step: number;
  testAccuracy: number | null;
  params: ParamsSource;
  /** MNIST's IDX files on this machine: train.py's default --data. */
  dataDir: string;
}

/**
 * A short name for file names: the preset (`cnn`, `deep_mlp`), else the hidden width of an MLP like
 * the default one (`256h`), else the layer count. Underscores only: no hyphens where Python looks.
 */
export function modelSlug(spec: ModelSpec): string {
  const preset = presetOf(spec);
  if (preset) return preset.replace(/-/g, '_');
  const hidden = mlpHidden(spec);
  return hidden !== null ? `${hidden}h` : `${spec.layers.length}layers`;
}

export function pytorchFolderName(spec: ModelSpec, step: number): string {
  return `digitrain_${modelSlug(spec)}_step${step}_pytorch`;
}

export function pytorchFolder(input: PytorchExportInput): PytorchFolder {
  const { config, step, testAccuracy, params } = input;
  const text = (name: string, source: string): WeightsFileBytes => ({ name, bytes: new TextEncoder().encode(source) });
  return {
    name: pytorchFolderName(config.model, step),
    files: [
      text('model.py', pytorchModelSource(config.model)),
      { name: 'weights.safetensors', bytes: encodePytorchExport(config.model, params, { step, testAccuracy }) },
      text('train.py', pytorchTrainSource({ config, step, dataDir: input.dataDir })),
      text('README.md', folderReadme(config.model, step, testAccuracy)),
    ],
  };
}

/** The folder as one zip (its files under the folder's name), for hosts that download one file. */
export function zipFolder(folder: PytorchFolder): WeightsFileBytes {
  const entries: Record<string, Uint8Array> = {};
  for (const file of folder.files) entries[`${folder.name}/${file.name}`] = file.bytes;
  // A fixed date: the same export gives the same bytes.
  return { name: `${folder.name}.zip`, bytes: zipSync(entries, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') }) };
}

function folderReadme(spec: ModelSpec, step: number, testAccuracy: number | null): string {
  const accuracy = testAccuracy === null ? '' : ` (test accuracy ${(testAccuracy * 100).toFixed(2)}%)`;
  return `# A Digitrain model in PyTorch

The ${modelSlug(spec)} model at step ${step}${accuracy}, exported by Digitrain. Needs Python 3 with torch
(nothing else: the .safetensors files are read and written with the standard library).

- \`model.py\`: \`from model import build, load\`. \`build()\` returns the network as
  \`nn.Sequential(OrderedDict(...))\` with PyTorch's own layer classes and Digitrain's layer names;
  \`load()\` is the same with \`weights.safetensors\` loaded strictly, in eval mode. Inputs are
  pixels / 255, shaped \`[N, ${spec.input.join(', ')}]\`; outputs are the 10 digits' logits.
  \`python3 model.py weights.safetensors t10k-images-idx3-ubyte t10k-labels-idx1-ubyte\` prints the
  model and its accuracy on MNIST's test files.
- \`weights.safetensors\`: the state dict (\`model.load_state_dict\` takes it unchanged; with the
  \`safetensors\` package, \`safetensors.torch.load_file\` reads it too). The model's spec is in its
  metadata under \`model\`, so Digitrain's Load, \`npm run classify\` and \`npm run evaluate\` read it back.
- \`train.py\`: the run's recipe as a plain PyTorch training script (optimizer, learning-rate
  schedule, label smoothing, batch size, steps or epochs, seed). \`python3 train.py --steps 1000
  --out trained.safetensors\`; \`--epochs\`, \`--lr\`, \`--batch-size\`, \`--seed\`, \`--data DIR\` (MNIST's
  IDX files) and \`--resume FILE\` override the recipe. It prints the test accuracy as a JSON line and
  writes a file Digitrain loads.

## Scaling out

\`train.py\` runs unchanged under PyTorch's distributed launcher, on CPUs (gloo) or GPUs (nccl):

    torchrun --nproc_per_node 4 train.py --out trained.safetensors
    torchrun --nnodes 2 --node_rank 0 --nproc_per_node 8 --master_addr HOST --master_port 29500 train.py

Each rank trains on its share of every batch (the batch size is the total over the ranks), and
only rank 0 evaluates and writes. Debian's torch 1.13 \`torchrun\` fails under Python 3.11
(\`AttributeError: 'NoneType' object has no attribute 'get'\`); start the ranks yourself with the
variables torchrun would set, e.g. two ranks on one machine:

    for r in 0 1; do WORLD_SIZE=2 RANK=$r LOCAL_RANK=$r MASTER_ADDR=127.0.0.1 MASTER_PORT=29500 \\
      python3 train.py --out trained.safetensors & done; wait
`;
}
