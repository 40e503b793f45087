// PyTorch's side of the comparison (`npm run bench -- --torch`): bench/torch_bench.py runs in a
// child process per thread count and answers one timing request at a time, so every row can
// alternate rounds of ours and PyTorch's and a noisy minute hits both alike.
//
// PyTorch runs as well as it can here: the thread count fixed through the environment (OpenBLAS
// reads it once; with its default of every core, batch-32 training ran at half the speed), and
// glibc's malloc told to keep freed memory instead of returning it to the kernel after every
// step: without that, each step's 400 kB gradient and Adam temporaries were fresh pages that
// the kernel zero-filled, and a batch-32 step took 2.3–2.8 ms instead of 0.5–0.6 ms (the effect
// PyTorch's performance guide removes with jemalloc or tcmalloc). Results do not change.
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mnistDataDirectory } from '../src/main/data/loadMnist';
import { pytorchSequentialExpression } from '../src/main/model/pythonExport';
import { describeModel } from '../src/shared/model/describe';
import type { ModelSpec } from '../src/shared/model/spec';
import type { MatmulShape } from './shapes';
import type { Timing } from './timing';

export const TORCH_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));

export const TORCH_MALLOC_TUNING: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(2 ** 30),
  MALLOC_TRIM_THRESHOLD_: String(2 ** 30),
  MALLOC_TOP_PAD_: String(2 ** 27),
};

/** Why PyTorch cannot be used here (with what to do about it), or null when it can. */
export function torchUnavailableReason(): string | null {
  try {
    execFileSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    return null;
  } catch {
    return `${TORCH_PYTHON} -c 'import torch' failed, so the PyTorch rows are left out. ` + 'On Debian or Ubuntu: sudo apt-get install -y python3-torch libopenblas0-pthread';
  }
}

type Answer = Record<string, unknown>;

/** One python3 process running torch_bench.py with `threads` threads. */
class TorchProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: ((line: string) => void)[] = [];
  private stderr = '';

  constructor(readonly threads: number) {
    const t = String(threads);
    this.child = spawn(TORCH_PYTHON, [SCRIPT, mnistDataDirectory(), t], {
      env: { ...process.env, ...TORCH_MALLOC_TUNING, OMP_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t, MKL_NUM_THREADS: t },
    });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-2000);
    });
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on('line', (line) => this.pending.shift()?.(line));
    this.child.on('exit', (code) => {
      for (const reject of this.pending.splice(0)) reject(JSON.stringify({ error: `torch_bench.py exited (${code}): ${this.stderr}` }));
    });
  }

  async request(command: Answer): Promise<Answer> {
    const line = await new Promise<string>((resolve) => {
      this.pending.push(resolve);
      this.child.stdin.write(`${JSON.stringify(command)}\n`);
    });
    const answer = JSON.parse(line) as Answer;
    if (typeof answer.error === 'string') throw new Error(`PyTorch bench: ${answer.error}`);
    return answer;
  }

  close(): void {
    this.child.stdin.end();
    this.child.kill();
  }
}

/** A network as torch_bench.py builds it: the PyTorch export's nn.Sequential expression and the input shape. */
export interface TorchModel {
  model: string;
  input: number[];
}

export function torchModel(spec: ModelSpec): TorchModel {
  return { model: pytorchSequentialExpression(spec), input: [...spec.input] };
}

/**
 * Why PyTorch's net is not ours (its parameters' names and shapes, in order, against the
 * spec's), or null when they are the same: the training rows compare the same network.
 */
export function parameterMismatch(spec: ModelSpec, torchParameters: readonly (readonly [string, readonly number[]])[]): string | null {
  const ours = describeModel(spec).params.map((p) => `${p.name} [${p.shape.join(', ')}]`);
  const theirs = torchParameters.map(([name, shape]) => `${name} [${shape.join(', ')}]`);
  if (ours.join('; ') === theirs.join('; ')) return null;
  return `PyTorch's net is not ours: ours has ${ours.join('; ')}, PyTorch's ${theirs.join('; ')}`;
}

/** One profiled PyTorch training step: its wall time and each event's self CPU time (ms) by its path (ancestors' names, outermost first, then its own). */
export interface TorchProfileStep {
  wallMs: number;
  ops: [string[], number][];
}

const timing = (a: Answer): Timing => ({ seconds: Number(a.seconds), cpuSeconds: Number(a.cpuSeconds), calls: 0 });

/** PyTorch with each of the bench's thread counts, started once and reused by every row. */
export class TorchSide {
  private constructor(
    private readonly processes: Map<number, TorchProcess>,
    readonly version: string,
  ) {}

  static async start(threadCounts: readonly number[]): Promise<TorchSide> {
    const processes = new Map(threadCounts.map((t) => [t, new TorchProcess(t)] as const));
    try {
      let version = '';
      for (const p of processes.values()) version = String((await p.request({ op: 'ready' })).torch);
      return new TorchSide(processes, version);
    } catch (err) {
      for (const p of processes.values()) p.close();
      throw err;
    }
  }

  async matmul(shape: MatmulShape, threads: number, ms: number): Promise<Timing> {
    const { m, k, n, transA, transB } = shape;
    return timing(await this.process(threads).request({ op: 'matmul', m, k, n, transA, transB, ms }));
  }

  async train(batch: number, threads: number, ms: number, model: TorchModel): Promise<Timing> {
    return timing(await this.process(threads).request({ op: 'train', batch, ms, ...model }));
  }

  /** The PyTorch net's parameters, [name, shape] in its order. */
  async parameters(model: TorchModel): Promise<[string, number[]][]> {
    const first = this.processes.values().next().value;
    if (!first) throw new Error('no PyTorch process');
    return (await first.request({ op: 'parameters', model: model.model })).parameters as [string, number[]][];
  }

  /** `steps` training steps, each under torch.autograd.profiler, after a warm-up; and the median step without the profiler. */
  async profile(batch: number, threads: number, steps: number, model: TorchModel): Promise<{ steps: TorchProfileStep[]; plainMs: number }> {
    const a = await this.process(threads).request({ op: 'profile', batch, steps, ...model });
    return { steps: a.steps as TorchProfileStep[], plainMs: Number(a.plainMs) };
  }

  close(): void {
    for (const p of this.processes.values()) p.close();
  }

  private process(threads: number): TorchProcess {
    const p = this.processes.get(threads);
    if (!p) throw new Error(`no PyTorch process with ${threads} threads`);
    return p;
  }
}
