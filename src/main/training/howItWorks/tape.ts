// The engine's record of a step, as backward() walks it: every tensor reachable from the loss
// through GradFn.inputs, inputs before the ops that use them. Unlike autograd's own walk it
// also keeps the leaves that need no gradient (the input digit), so the graph can draw them.
import type { Tensor } from '../../../engine';

/** Tensors reachable from `root`, each after its inputs (the forward order). */
export function tapeOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>([root]);
  // Iterative, like autograd's walk: a deep model must not overflow the stack.
  const stack: { node: Tensor; next: number }[] = [{ node: root, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.node.gradFn?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (!visited.has(child)) {
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
 * Wraps every op's backward on the tape so that the gradient of its output is copied out as
 * backward hands it over (autograd frees intermediate gradients as it goes). The copies are
 * on the heap, so they outlive a step scope.
 */
export function captureGradients(order: readonly Tensor[]): Map<Tensor, Float32Array> {
  const captured = new Map<Tensor, Float32Array>();
  for (const t of order) {
    const fn = t.gradFn;
    if (!fn) continue;
    t.gradFn = {
      name: fn.name,
      inputs: fn.inputs,
      backward(gradOut, gradIn, gradFirst) {
        captured.set(t, Float32Array.from(gradOut));
        fn.backward(gradOut, gradIn, gradFirst);
      },
    };
  }
  return captured;
}
