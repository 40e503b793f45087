// The PyTorch export's companion: a small Python file that builds the same model as
// nn.Sequential(OrderedDict(...)) from its spec and loads the exported weights into it.
// Each layer kind says which torch.nn module it is (keyed by every registered type, so a
// kind without one does not compile). The file reads the safetensors beside it with the
// standard library and torch only, so it runs without the safetensors package. train.py
// (pythonTrain.ts) imports it.
import { describeModel } from '../../shared/model/describe';
import type { LayerOf, LayerType } from '../../shared/model/layerKinds';
import { batchNormClass } from '../../shared/model/layers/batchnorm';
import type { Shape } from '../../shared/model/shape';
import type { ModelSpec } from '../../shared/model/spec';

type PythonModule<K extends LayerType> = (layer: LayerOf<K>, input: Shape) => string;

/** A Python literal for a setting: `True`, `1e-05`, `0.01`. */
const py = (value: number | boolean): string => (typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));

export const LAYER_PYTHON: { [K in LayerType]: PythonModule<K> } = {
  linear: (layer, input) => `nn.Linear(${input[0]}, ${layer.out}, bias=${py(layer.bias)})`,
  conv2d: (layer, input) => `nn.Conv2d(${input[0]}, ${layer.out}, kernel_size=${layer.kernel}, stride=${layer.stride}, padding=${layer.padding}, bias=${py(layer.bias)})`,
  maxpool2d: (layer) => `nn.MaxPool2d(kernel_size=${layer.kernel}, stride=${layer.stride}, padding=${layer.padding})`,
  avgpool2d: (layer) => `nn.AvgPool2d(kernel_size=${layer.kernel}, stride=${layer.stride}, padding=${layer.padding})`,
  flatten: () => 'nn.Flatten()',
  relu: () => 'nn.ReLU()',
  leakyrelu: (layer) => `nn.LeakyReLU(negative_slope=${py(layer.negativeSlope)})`,
  gelu: () => 'nn.GELU()',
  elu: (layer) => `nn.ELU(alpha=${py(layer.alpha)})`,
  softplus: () => 'nn.Softplus()',
  tanh: () => 'nn.Tanh()',
  sigmoid: () => 'nn.Sigmoid()',
  batchnorm: (layer, input) => `nn.${batchNormClass(input)}(${input[0]}, eps=${py(layer.eps)}, momentum=${py(layer.momentum)})`,
  dropout: (layer) => `nn.Dropout(p=${py(layer.p)})`,
};

/** The (name, module) lines of `nn.Sequential(OrderedDict([...]))` for `spec`, one a layer. */
function moduleLines(spec: ModelSpec): string[] {
  const info = describeModel(spec);
  return spec.layers.map((layer, i) => {
    const module = (LAYER_PYTHON[layer.type] as PythonModule<LayerType>)(layer as never, info.layers[i].input);
    return `(${JSON.stringify(layer.name)}, ${module}),`;
  });
}

/**
 * A Python expression that builds `spec` as `nn.Sequential(OrderedDict([...]))`, given `nn` and
 * `OrderedDict` in scope: model.py's `build()` returns it, and the benchmark against PyTorch
 * (bench/torch_bench.py) trains it.
 */
export function pytorchSequentialExpression(spec: ModelSpec): string {
  return `nn.Sequential(OrderedDict([${moduleLines(spec).join(' ')}]))`;
}

/** The Python source of `model.py` for `spec`; it loads `weights.safetensors` beside it by default. */
export function pytorchModelSource(spec: ModelSpec): string {
  const modules = moduleLines(spec).map((line) => `        ${line}`);
  return `"""A model trained with Digitrain, rebuilt in PyTorch.

    from model import build, load
    model = build()          # nn.Sequential(OrderedDict(...)) with PyTorch's own layers
    model = load()           # the same, with weights.safetensors (beside this file) loaded strictly

Inputs are pixels / 255 (ink = 1), shaped [N, ${spec.input.join(', ')}]; outputs are the 10 digits' logits.
Run as a script,

    python3 model.py [weights.safetensors] [t10k-images-idx3-ubyte t10k-labels-idx1-ubyte]

it prints the model and, given MNIST's test files, its accuracy on them. It needs torch only
(the .safetensors files are read and written with the standard library).
"""
import json
import os
import struct
import sys
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

INPUT_SHAPE = (${spec.input.join(', ')}${spec.input.length === 1 ? ',' : ''})
SPEC = json.loads(${JSON.stringify(JSON.stringify(spec))})
WEIGHTS = Path(__file__).resolve().parent / "weights.safetensors"


def build():
    return nn.Sequential(OrderedDict([
${modules.join('\n')}
    ]))


DTYPES = {"F32": torch.float32, "I64": torch.int64}
DTYPE_NAMES = {torch.float32: "F32", torch.int64: "I64"}


def load_safetensors(path):
    """The model's tensors of a .safetensors file (u64 header length, JSON header, little-endian data).
    Digitrain's optimizer state (optim.*) is left out: it is not part of the model."""
    data = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    header.pop("__metadata__", None)
    state = OrderedDict()
    for name, entry in header.items():
        if name.startswith("optim."):
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + begin : 8 + length + end])
        state[name] = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).clone()
    return state


def save_safetensors(path, state, metadata):
    """Writes a state dict as .safetensors, with string metadata (Digitrain reads the spec from "model").
    Written to a temporary file first, then renamed: a crash never leaves half a file."""
    header, chunks, offset = {"__metadata__": metadata}, [], 0
    for name, tensor in state.items():
        tensor = tensor.detach().cpu().contiguous()
        raw = tensor.numpy().tobytes()
        header[name] = {"dtype": DTYPE_NAMES[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    temporary = Path(str(path) + ".tmp")
    with open(temporary, "wb") as file:
        file.write(struct.pack("<Q", len(text)) + text)
        for raw in chunks:
            file.write(raw)
    os.replace(temporary, path)


def load(path=None):
    model = build()
    model.load_state_dict(load_safetensors(path or WEIGHTS))  # strict: every name and shape must match
    return model.eval()


def read_idx(path):
    data = Path(path).read_bytes()
    dims = struct.unpack(">" + "I" * data[3], data[4 : 4 + 4 * data[3]])
    return torch.frombuffer(bytearray(data[4 + 4 * data[3] :]), dtype=torch.uint8).reshape(dims)


if __name__ == "__main__":
    model = load(sys.argv[1] if len(sys.argv) > 1 else None)
    print(model)
    if len(sys.argv) > 3:
        images = read_idx(sys.argv[2]).float().div(255).reshape(-1, *INPUT_SHAPE)
        labels = read_idx(sys.argv[3]).long()
        with torch.no_grad():
            accuracy = (model(images).argmax(1) == labels).float().mean().item()
        print(json.dumps({"images": len(labels), "accuracy": accuracy}))
`;
}
