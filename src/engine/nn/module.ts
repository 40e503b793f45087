// Module: a tree of named parameters and child modules, as torch.nn.Module.
// Subclasses register what they own (registerParameter / registerModule) in the order
// PyTorch would list it, which fixes the order of parameters() and the state-dict names.
import { formatShape, sameShape } from '../ops/dims';
import type { Tensor } from '../tensor';

export type StateDict = Map<string, Tensor> | Record<string, Tensor>;

export interface LoadOptions {
  /** Require exactly the model's names: no missing and no unexpected entries (default true). */
  strict?: boolean;
}

export abstract class Module {
  private readonly ownParameters = new Map<string, Tensor>();
  private readonly children = new Map<string, Module>();

  abstract forward(x: Tensor): Tensor;

  /** Registers `tensor` as a parameter; its storage moves to where kernels read it in place (Tensor.makeResident). */
  protected registerParameter(name: string, tensor: Tensor): Tensor {
    checkName(name, this.ownParameters, this.children);
    tensor.requiresGrad = true;
    tensor.makeResident();
    this.ownParameters.set(name, tensor);
    return tensor;
  }

  protected registerModule<M extends Module>(name: string, module: M): M {
    checkName(name, this.ownParameters, this.children);
    this.children.set(name, module);
    return module;
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

  /** The live parameter tensors by name (not copies: detach or clone to keep a snapshot). */
  stateDict(): Map<string, Tensor> {
    return new Map(this.namedParameters());
  }

  /**
   * Copies `dict` into the parameters in place (optimizers keep their references).
   * Every name and shape is checked first; on any problem it throws and changes nothing.
   */
  loadStateDict(dict: StateDict, options: LoadOptions = {}): void {
    const strict = options.strict ?? true;
    const source = dict instanceof Map ? dict : new Map(Object.entries(dict));
    const own = new Map(this.namedParameters());
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
}

function checkName(name: string, params: Map<string, Tensor>, children: Map<string, Module>): void {
  if (name === '' || name.includes('.')) throw new Error(`Module: invalid name "${name}" (non-empty, no dots)`);
  if (params.has(name) || children.has(name)) throw new Error(`Module: "${name}" is already registered`);
}
