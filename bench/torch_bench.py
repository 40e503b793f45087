#!/usr/bin/python3
"""The PyTorch side of `npm run bench -- --torch`: the same work as Digitrain's rows, timed the same way.

Started by bench/torchBench.ts as a child process, one per thread count (the thread count is
fixed at start-up through the environment: OpenBLAS reads it once). Reads one JSON command
per line on stdin and answers one JSON line on stdout, so the bench can interleave rounds
of ours and PyTorch's:

  {"op": "ready"}                                         -> {"torch": version, "threads": n}
  {"op": "matmul", "m", "k", "n", "transA", "transB", "ms"} -> {"seconds": median per call, "cpuSeconds": mean}
  {"op": "train", "batch", "ms", "model", "input"}          -> {"seconds": median per step, "cpuSeconds": mean}
  {"op": "parameters", "model"}                           -> {"parameters": [[name, shape], ...]}
  {"op": "profile", "batch", "steps", "model", "input"}   -> {"steps": [{"wallMs", "ops": [[path, self ms], ...]}], "plainMs"}

"model" is the network as a Python expression, nn.Sequential(OrderedDict([...])) written from
Digitrain's model spec by the PyTorch export's own code (src/main/model/pythonExport.ts), and
"input" its input shape ([784], or [1, 28, 28] for image models); without them, the seed's
nn.Sequential(OrderedDict l1 Linear(784,128), act ReLU, l2 Linear(128,10)).

Training is the experiment as Digitrain's Trainer runs it: the net with PyTorch's default
init, Adam 1e-3, a batch of random training indices with replacement each step,
x = X[idx].float() / 255 shaped as the input, cross-entropy, backward, step, and the loss and
batch accuracy read back as Python numbers.

"profile" runs such steps under torch.autograd.profiler, one profile per step (after 20 steps'
warm-up), with the step's phases marked (record_function digitrain::batch, ::forward, ...),
and answers each step's wall time and every event's self CPU time (its own time, less the
events inside it) by its path: the names of the events it ran inside, outermost first, then
its own (aten::..., autograd nodes, the optimizer's ranges); bench/profileCategories.ts sorts
them into rows.
"plainMs" is the median step time without the profiler, for its overhead.

usage: torch_bench.py MNIST_DATA_DIR THREADS
"""
import contextlib
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


def build_model(cmd):
    if "model" not in cmd:
        return nn.Sequential(OrderedDict([("l1", nn.Linear(784, 128)), ("act", nn.ReLU()), ("l2", nn.Linear(128, 10))]))
    return eval(cmd["model"], {"nn": nn, "OrderedDict": OrderedDict})


def no_range(_name):
    return contextlib.nullcontext()


def training_step(cmd, images, labels, phase=no_range):
    """One training step of the command's model as a function (model and optimizer made here).
    `phase` marks its phases for the profiler (record_function); by default it marks nothing."""
    batch = cmd["batch"]
    shape = (batch, *cmd.get("input", [784]))
    model = build_model(cmd)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    count = images.shape[0]

    def step():
        with phase("digitrain::batch"):
            idx = torch.randint(0, count, (batch,))
            x = (images[idx].float() / 255).reshape(shape)
            y = labels[idx]
        with phase("digitrain::zero_grad"):
            optimizer.zero_grad()
        with phase("digitrain::forward"):
            logits = model(x)
        with phase("digitrain::loss"):
            loss = F.cross_entropy(logits, y)
        with phase("digitrain::backward"):
            loss.backward()
        with phase("digitrain::optimizer"):
            optimizer.step()
        with phase("digitrain::readback"):
            return loss.item(), (logits.argmax(1) == y).float().mean().item()

    for _ in range(20):
        step()
    return step


def bench_train(cmd, images, labels):
    return time_calls(training_step(cmd, images, labels), cmd["ms"])


def model_parameters(cmd):
    return {"parameters": [[name, list(p.shape)] for name, p in build_model(cmd).named_parameters()]}


def event_path(event):
    path = []
    while event is not None:
        path.append(event.name)
        event = event.cpu_parent
    return tuple(reversed(path))


def profile_train(cmd, images, labels):
    step = training_step(cmd, images, labels, torch.autograd.profiler.record_function)
    steps = []
    for _ in range(cmd["steps"]):
        with torch.autograd.profiler.profile() as prof:
            start = time.perf_counter()
            step()
            wall = time.perf_counter() - start
        # Self time (the event's own, less the events inside it) by the event's path from the top.
        ops = {}
        for event in prof.function_events:
            path = event_path(event)
            ops[path] = ops.get(path, 0.0) + event.self_cpu_time_total / 1000
        steps.append({"wallMs": wall * 1000, "ops": [[list(path), ms] for path, ms in ops.items()]})
    plain = []
    for _ in range(cmd["steps"]):
        start = time.perf_counter()
        step()
        plain.append((time.perf_counter() - start) * 1000)
    plain.sort()
    return {"steps": steps, "plainMs": plain[len(plain) // 2]}


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
        elif op == "parameters":
            answer = model_parameters(cmd)
        elif op == "profile":
            answer = profile_train(cmd, images, labels)
        else:
            answer = {"error": f"unknown op {op}"}
        print(json.dumps(answer), flush=True)


main()
