#!/usr/bin/python3
"""The PyTorch side of `npm run bench -- --torch`: the same work as Digitrain's rows, timed the same way.

Started by bench/torchBench.ts as a child process, one per thread count (the thread count is
fixed at start-up through the environment: OpenBLAS reads it once). Reads one JSON command
per line on stdin and answers one JSON line on stdout, so the bench can interleave rounds
of ours and PyTorch's:

  {"op": "ready"}                                         -> {"torch": version, "threads": n}
  {"op": "matmul", "m", "k", "n", "transA", "transB", "ms"} -> {"seconds": median per call, "cpuSeconds": mean}
  {"op": "train", "batch", "ms"}                          -> {"seconds": median per step, "cpuSeconds": mean}

Training is the seed's experiment as Digitrain's Trainer runs it: nn.Sequential(OrderedDict
l1 Linear(784,128), act ReLU, l2 Linear(128,10)) with PyTorch's default init, Adam 1e-3,
a batch of random training indices with replacement each step, x = X[idx].float() / 255,
cross-entropy, backward, step, and the loss and batch accuracy read back as Python numbers.

usage: torch_bench.py MNIST_DATA_DIR THREADS
"""
import json
import os
import sys
import time
from collections import OrderedDict

import torch
from torch import nn
import torch.nn.functional as F


def load_mnist(directory):
    def read(name, header):
        with open(os.path.join(directory, name), "rb") as f:
            return torch.frombuffer(bytearray(f.read()[header:]), dtype=torch.uint8)

    images = read("train-images-idx3-ubyte", 16).reshape(-1, 784)
    labels = read("train-labels-idx1-ubyte", 8).long()
    return images, labels


def time_calls(fn, budget_ms, windows=5):
    """Median seconds per call over `windows` windows, as bench/timing.ts timeCalls does."""
    fn()
    per_window = []
    calls = 0
    cpu_start = time.process_time()
    window = budget_ms / 1000 / windows
    for _ in range(windows):
        n = 0
        start = time.perf_counter()
        now = start
        while now - start < window:
            fn()
            n += 1
            now = time.perf_counter()
        per_window.append((now - start) / n)
        calls += n
    per_window.sort()
    return {"seconds": per_window[len(per_window) // 2], "cpuSeconds": (time.process_time() - cpu_start) / calls}


def bench_matmul(cmd):
    m, k, n = cmd["m"], cmd["k"], cmd["n"]
    a = torch.rand(k, m) if cmd["transA"] else torch.rand(m, k)
    b = torch.rand(n, k) if cmd["transB"] else torch.rand(k, n)
    a_op = a.t() if cmd["transA"] else a
    b_op = b.t() if cmd["transB"] else b
    c = torch.empty(m, n)
    return time_calls(lambda: torch.mm(a_op, b_op, out=c), cmd["ms"])


def bench_train(cmd, images, labels):
    batch = cmd["batch"]
    model = nn.Sequential(OrderedDict([("l1", nn.Linear(784, 128)), ("act", nn.ReLU()), ("l2", nn.Linear(128, 10))]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    count = images.shape[0]

    def step():
        idx = torch.randint(0, count, (batch,))
        x = images[idx].float() / 255
        y = labels[idx]
        optimizer.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        return loss.item(), (logits.argmax(1) == y).float().mean().item()

    for _ in range(20):
        step()
    return time_calls(step, cmd["ms"])


def main():
    torch.set_num_threads(int(sys.argv[2]))
    images, labels = load_mnist(sys.argv[1])
    for line in sys.stdin:
        cmd = json.loads(line)
        op = cmd["op"]
        if op == "ready":
            answer = {"torch": torch.__version__, "threads": torch.get_num_threads()}
        elif op == "matmul":
            answer = bench_matmul(cmd)
        elif op == "train":
            answer = bench_train(cmd, images, labels)
        else:
            answer = {"error": f"unknown op {op}"}
        print(json.dumps(answer), flush=True)


main()
