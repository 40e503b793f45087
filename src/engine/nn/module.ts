// Module: a tree of named parameters, buffers and child modules, as torch.nn.Module.
// Subclasses register what they own (registerParameter / registerBuffer / registerModule) in
// the order PyTorch would list it, which fixes the order of parameters() and the state-dict
// names. Buffers (batch norm's running statistics) are state without gradients: in
// stateDict() and loadStateDict(), not in parameters(). `training` (train()/eval()) reaches
// every descendant, as in PyTorch.
import { formatShape, sameShape } from '../ops/dims';
import type { Tensor } from '../tensor';

export type StateDict = Map<string, Tensor> | Record<string, Tensor>;

export interface LoadOptions {
  /** Require exactly the model's names: no missing and no unexpected entries (default true). */
  strict?: boolean;
}

export abstract class Module {
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly ownBuffers = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();
  /** Training mode (the default) or evaluation; set with train() / eval(). */
  training = true;

  abstract forward(x: Tensor): Tensor;

  /** Registers `tensor` as a parameter; its storage moves to where kernels read it in place (Tensor.makeResident). */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    this.checkName(name);
    tensor.requiresGrad = true;
    tensor.makeResident();
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  /** State that is saved and loaded but not trained (register_buffer). */
  protected registerBuffer(name: string, tensor: Tensor): Tensor {
    this.checkName(name);
    tensor.requiresGrad = false;
    this.ownBuffers.set(name, tensor);
    return tensor;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    this.checkName(name);
    this.children.set(name, module);
    return module;
  }

  /** Sets training mode on this module and every descendant (false: evaluation). */
  train(mode = true): this {
    this.training = mode;
    for (const child of this.children.values()) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Parameters with dotted names (`l1.weight`), own parameters before children's. */
  namedParameters(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, p] of this.ownParameters) out.push([prefix + name, p]);
    for (const [name, child] of this.children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Buffers with dotted names (`bn.running_mean`), own buffers before children's. */
  namedBuffers(prefix = ''): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, b] of this.ownBuffers) out.push([prefix + name, b]);
    for (const [name, child] of this.children) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /**
   * The live parameter and buffer tensors by name (not copies: detach or clone to keep a
   * snapshot), in PyTorch's order: each module's parameters, then its buffers, then its children's.
   */
  stateDict(): Map<string, Tensor> {
    return new Map(this.namedState(''));
  }

  private namedState(prefix: string): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [name, p] of this.ownParameters) out.push([prefix + name, p]);
    for (const [name, b] of this.ownBuffers) out.push([prefix + name, b]);
    for (const [name, child] of this.children) out.push(...child.namedState(`${prefix}${name}.`));
    return out;
  }

  /**
   * Copies `dict` into the parameters and buffers in place (optimizers keep their references).
   * Every name and shape is checked first; on any problem it throws and changes nothing.
   */
  loadStateDict(dict: StateDict, options: LoadOptions = {}): void {
    const strict = options.strict ?? true;
    const source = dict instanceof Map ? dict : new Map(Object.entries(dict));
    const own = this.stateDict();
    const problems: string[] = [];
    if (strict) {
      for (const name of own.keys()) if (!source.has(name)) problems.push(`missing "${name}"`);
      for (const name of source.keys()) if (!own.has(name)) problems.push(`unexpected "${name}"`);
    }
    for (const [name, src] of source) {
      const target = own.get(name);
      if (target && !sameShape(target.shape, src.shape)) {
        problems.push(`"${name}" has shape ${formatShape(src.shape)}, the model expects ${formatShape(target.shape)}`);
      }
    }
    if (problems.length > 0) throw new Error(`loadStateDict: ${problems.join('; ')}`);
    for (const [name, src] of source) own.get(name)?.data.set(src.data);
  }

  private checkName(name: string): void {
    if (name === '' || name.includes('.')) throw new Error(`Module: invalid name "${name}" (non-empty, no dots)`);
    if (this.ownParameters.has(name) || this.ownBuffers.has(name) || this.children.has(name)) {
      throw new Error(`Module: "${name}" is already registered`);
    }
  }
}
