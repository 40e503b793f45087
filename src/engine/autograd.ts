// Reverse-mode autograd: the graph node every op records, the no-grad scope, and backward().
//
// An op's backward receives the gradient of its output and a sink that hands out one
// accumulation buffer per input (zeroed on first use, null when that input needs no
// gradient). Ops add (+=) into those buffers, so fan-in, broadcasting and repeated
// backward() calls all accumulate the same way PyTorch does, without temporaries.
// An op whose kernel can as well write a whole gradient (a matmul, ReLU, max pooling) may first ask the
// optional second sink for the buffer of an input nothing has been added to yet: it then
// writes instead of adding, and the buffer is never zeroed nor read.
import { timed } from './profile';
import { allocFloat32, allocUninitialized } from './storage';
import { Tensor } from './tensor';

/** Returns the buffer to add input `i`'s gradient into, or null if that input needs none. */
export type GradSink = (i: number) => Float32Array | null;

/**
 * Returns a buffer for input `i`'s whole gradient when it needs one and nothing has been
 * added to it yet (contents undefined: the op must write every element), else null (then
 * add through the GradSink, which also says whether the input needs a gradient at all).
 */
export type FirstGradSink = (i: number) => Float32Array | null;

export interface GradFn {
  /** The op that produced the tensor (for error messages and debugging). */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  backward(gradOut: Float32Array, gradIn: GradSink, gradFirst: FirstGradSink): void;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/**
 * Runs `fn` without recording a graph (inference, optimizer updates). Synchronous only:
 * the scope ends when `fn` returns, so work awaited inside a returned promise is recorded.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** True when an op over `inputs` must record its backward. */
function needsGrad(inputs: readonly Tensor[]): boolean {
  if (!gradEnabled) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Wraps an op's output, recording `backward` when any input requires grad.
 * The backward closure is created once per op call, never per element.
 */
export function result(
  data: Float32Array,
  shape: readonly number[],
  name: string,
  inputs: readonly Tensor[],
  backward: (gradOut: Float32Array, gradIn: GradSink, gradFirst: FirstGradSink) => void,
): Tensor {
  const out = new Tensor(data, shape);
  if (needsGrad(inputs)) {
    out.requiresGrad = true;
    out.gradFn = { name, inputs, backward };
  }
  return out;
}

/** Nodes reachable from `root` that take part in backward, inputs before the ops that use them. */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative DFS: deep graphs (long unrolled loops) must not overflow the call stack.
  const stack: { node: Tensor; next: number }[] = [{ node: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.node.gradFn?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ node: child, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}

/**
 * Propagates `seed` (d root) back through the graph. Leaves (tensors with requiresGrad and
 * no gradFn) accumulate into `.grad`; intermediate gradients live only during this call.
 * The graph is kept, so calling backward again adds the same gradients once more.
 */
export function backward(root: Tensor, seed: Float32Array): void {
  // `npm run bench -- --profile` (profile.ts): what backward costs beyond the ops' own spans.
  timed('autograd', () => backwardPass(root, seed));
}

function backwardPass(root: Tensor, seed: Float32Array): void {
  const order = topologicalOrder(root);
  const grads = new Map<Tensor, Float32Array>();
  grads.set(root, seed);
  const bufferFor = (t: Tensor): Float32Array => {
    if (!t.gradFn) {
      // A leaf: accumulate straight into .grad (PyTorch semantics).
      if (!t.grad) t.grad = Tensor.zeros(t.shape);
      return t.grad.data;
    }
    let g = grads.get(t);
    if (!g) {
      g = allocFloat32(t.size);
      grads.set(t, g);
    }
    return g;
  };
  if (!root.gradFn) {
    const g = bufferFor(root);
    for (let i = 0; i < g.length; i++) g[i] += seed[i];
    return;
  }
  // One pair of sinks for the whole pass (not two closures per node): `inputs` is the node's.
  let inputs: readonly Tensor[] = [];
  const gradIn: GradSink = (k) => (inputs[k].requiresGrad ? bufferFor(inputs[k]) : null);
  const gradFirst: FirstGradSink = (k) => {
    const t = inputs[k];
    if (!t.requiresGrad) return null;
    if (!t.gradFn) {
      if (t.grad) return null;
      t.grad = new Tensor(allocUninitialized(t.size), t.shape);
      return t.grad.data;
    }
    if (grads.has(t)) return null;
    const g = allocUninitialized(t.size);
    grads.set(t, g);
    return g;
  };
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const fn = node.gradFn;
    if (!fn) continue;
    const gradOut = grads.get(node);
    if (!gradOut) continue; // nothing flowed into this node
    inputs = fn.inputs;
    fn.backward(gradOut, gradIn, gradFirst);
    grads.delete(node);
  }
}
