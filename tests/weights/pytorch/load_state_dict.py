"""Loads a Digitrain "Export for PyTorch" file with load_state_dict (strict).

Run by checkExport.ts (not part of CI: PyTorch is not a project dependency). Reads the
safetensors file the way safetensors.torch.load_file does (u64 header length, JSON
header, little-endian data at data_offsets), loads it into the seed's ANet or, given a
ModelSpec JSON file, into nn.Sequential(OrderedDict(...)) built from that spec, and prints
the logits of the first N MNIST test images as JSON.

usage: python3 load_state_dict.py EXPORT.safetensors T10K_IMAGES_IDX N [SPEC.json]
"""
import json
import struct
import sys
from collections import OrderedDict

import torch
from torch import nn

DTYPES = {"F32": torch.float32}


class ANet(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(784, 128)
        self.l2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))


def from_spec(spec):
    """nn.Sequential(OrderedDict(...)) from a Digitrain ModelSpec: the layers this check knows."""
    layers = OrderedDict()
    shape = list(spec["input"])
    for layer in spec["layers"]:
        kind = layer["type"]
        if kind == "linear":
            layers[layer["name"]] = nn.Linear(shape[0], layer["out"], bias=layer.get("bias", True))
            shape = [layer["out"]]
        elif kind == "relu":
            layers[layer["name"]] = nn.ReLU()
        else:
            raise SystemExit(f"this check does not know layer type {kind}")
    return nn.Sequential(layers)


def load_safetensors(path):
    data = open(path, "rb").read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    state = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        raw = bytearray(data[8 + n + begin : 8 + n + end])
        state[name] = torch.frombuffer(raw, dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
    return state


def main():
    export, images_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    model = from_spec(json.load(open(sys.argv[4]))) if len(sys.argv) > 4 else ANet()
    result = model.load_state_dict(load_safetensors(export))  # strict=True: raises on any mismatch
    images = open(images_path, "rb").read()[16 : 16 + count * 784]
    x = torch.tensor(list(images), dtype=torch.uint8).reshape(count, 784).float() / 255
    with torch.no_grad():
        logits = model(x)
    print(json.dumps({"torch": torch.__version__, "missing": result.missing_keys, "unexpected": result.unexpected_keys, "logits": logits.flatten().tolist()}))


main()
