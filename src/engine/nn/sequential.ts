// Sequential: applies its modules in order. Built from modules, they are named "0", "1", …;
// built from [name, module] pairs (`Sequential.named`), they keep those names, as
// nn.Sequential(OrderedDict(...)) does, so parameters are `<name>.<param>` exactly as PyTorch names them.
// A Linear directly followed by a ReLU runs as one fused op (fusion.ts).
import type { Tensor } from '../tensor';
import { fusableActivation, fusableLinear, linearThen } from './fusion';
import { Module } from './module';

export class Sequential extends Module {
  private readonly entries: [string, Module][] = [];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((layer, i) => this.append(String(i), layer));
  }

  /** `nn.Sequential(OrderedDict(entries))`: names must be unique, non-empty and without dots. */
  static named(entries: Iterable<readonly [string, Module]>): Sequential {
    const seq = new Sequential();
    for (const [name, layer] of entries) seq.append(name, layer);
    return seq;
  }

  /** The modules in order. */
  get layers(): readonly Module[] {
    return this.entries.map(([, layer]) => layer);
  }

  /** [name, module] in order. */
  namedLayers(): readonly (readonly [string, Module])[] {
    return this.entries;
  }

  forward(x: Tensor): Tensor {
    let y = x;
    const entries = this.entries;
    for (let i = 0; i < entries.length; i++) {
      const layer = entries[i][1];
      const linear = fusableLinear(layer);
      const activation = linear ? fusableActivation(entries[i + 1]?.[1]) : null;
      if (linear && activation) {
        y = linearThen(linear, y, activation);
        i++;
      } else {
        y = layer.forward(y);
      }
    }
    return y;
  }

  /** Every layer's output in order (the last is forward's result): what the network view shows. */
  forwardAll(x: Tensor): Tensor[] {
    const outputs: Tensor[] = [];
    let y = x;
    for (const [, layer] of this.entries) outputs.push((y = layer.forward(y)));
    return outputs;
  }

  /** Adds a named module at the end (for subclasses that build themselves, e.g. from a spec). */
  protected append(name: string, layer: Module): void {
    this.registerModule(name, layer);
    this.entries.push([name, layer]);
  }
}
