// Optimizer base: the parameter list, a settable learning rate, zeroGrad, and state dicts
// whose buffers are named like PyTorch's state (`0.exp_avg`, `1.momentum_buffer`).
// Parameters and state live where the update kernel reads them in place (the WASM memory
// when enableParallel has installed it; see storage.ts).
import { persistentFloat32 } from '../storage';
import type { Tensor } from '../tensor';

/** The optimizer's name in its state dict (e.g. 'adam'); a state is only loaded by an optimizer of the same kind. */
export type OptimizerKind = string;

export interface OptimizerState {
  kind: OptimizerKind;
  hyper: Record<string, number>;
  /** Steps taken so far. */
  step: number;
  /** Per-parameter buffers, keyed `<param index>.<PyTorch state key>`. */
  buffers: Record<string, Float32Array>;
}

export abstract class Optimizer {
  abstract readonly kind: OptimizerKind;
  readonly params: readonly Tensor[];
  lr: number;
  /** Steps taken so far. */
  stepCount = 0;
  /** Per-parameter state, one map per parameter (key → buffer of the parameter's size). */
  protected readonly state: Map<string, Float32Array>[];

  constructor(params: readonly Tensor[], lr: number) {
    if (params.length === 0) throw new Error('Optimizer: got an empty parameter list');
    checkNonNegative('lr', lr);
    this.params = [...params];
    // Normally done when the module registered them; here for parameters made before the WASM memory was installed.
    for (const p of this.params) p.makeResident();
    this.lr = lr;
    this.state = this.params.map(() => new Map());
  }

  /** Drops every gradient (PyTorch's set_to_none behaviour). */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  abstract step(): void;

  /** The current hyper-parameters, by the names state dicts use (`lr`, `momentum`, …). */
  hyperparameters(): Record<string, number> {
    return this.hyper();
  }

  /**
   * Changes hyper-parameters between steps, keeping the state (PyTorch: `param_group['lr'] = …`).
   * Unknown names and invalid values are refused before anything changes.
   */
  setHyperparameters(values: Readonly<Record<string, number>>): void {
    const own = this.hyper();
    for (const key of Object.keys(values)) {
      if (!Object.hasOwn(own, key)) throw new Error(`${this.kind} has no hyper-parameter "${key}"`);
    }
    this.setHyper({ ...own, ...values });
  }

  /** The hyper-parameters to save, and to restore on load. */
  protected abstract hyper(): Record<string, number>;
  protected abstract setHyper(hyper: Record<string, number>): void;
  /** State keys this optimizer may hold per parameter. */
  protected abstract readonly stateKeys: readonly string[];

  /** A copy of the optimizer state. */
  stateDict(): OptimizerState {
    const buffers: Record<string, Float32Array> = {};
    this.state.forEach((entries, i) => {
      for (const [key, buf] of entries) buffers[`${i}.${key}`] = Float32Array.from(buf);
    });
    return { kind: this.kind, hyper: this.hyper(), step: this.stepCount, buffers };
  }

  /** Restores a state from stateDict(); everything is checked before anything changes. */
  loadStateDict(state: OptimizerState): void {
    if (state.kind !== this.kind) throw new Error(`loadStateDict: state is for '${state.kind}', this optimizer is '${this.kind}'`);
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`loadStateDict: invalid step ${state.step}`);
    const own = this.hyper();
    for (const [key, value] of Object.entries(state.hyper)) {
      if (!Object.hasOwn(own, key)) throw new Error(`loadStateDict: unknown hyper-parameter "${key}" for ${this.kind}`);
      if (!Number.isFinite(value)) throw new Error(`loadStateDict: hyper-parameter "${key}" is ${value}`);
    }
    const parsed: [number, string, Float32Array][] = [];
    for (const [name, buf] of Object.entries(state.buffers)) {
      const match = /^(\d+)\.(\w+)$/.exec(name);
      const index = match ? Number(match[1]) : -1;
      if (!match || index >= this.params.length || !this.stateKeys.includes(match[2])) {
        throw new Error(`loadStateDict: unexpected buffer "${name}"`);
      }
      if (!(buf instanceof Float32Array) || buf.length !== this.params[index].size) {
        throw new Error(`loadStateDict: buffer "${name}" must be a Float32Array of ${this.params[index].size} values`);
      }
      parsed.push([index, match[2], buf]);
    }
    this.setHyper({ ...own, ...state.hyper });
    this.stepCount = state.step;
    for (const entries of this.state) entries.clear();
    for (const [index, key, buf] of parsed) {
      const copy = persistentFloat32(buf.length);
      copy.set(buf);
      this.state[index].set(key, copy);
    }
  }

  /** Forgets buffer `key` of every parameter (settings that no longer use it changed between steps). */
  protected dropState(key: string): void {
    for (const entries of this.state) entries.delete(key);
  }

  /** The buffer `key` of parameter `i`, created zeroed on first use. */
  protected buffer(i: number, key: string): Float32Array {
    let buf = this.state[i].get(key);
    if (!buf) {
      buf = persistentFloat32(this.params[i].size);
      this.state[i].set(key, buf);
    }
    return buf;
  }
}

export function checkNonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got ${value}`);
}
