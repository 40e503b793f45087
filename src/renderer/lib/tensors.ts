// Finding a named tensor in a snapshot or a classification's activations.
import type { TensorView } from '../../shared/contract';

/** The data of tensor `name` when it has `size` values, else null (e.g. a snapshot of the previous model). */
export function findTensor(tensors: readonly TensorView[] | undefined, name: string, size: number): Float32Array | null {
  const tensor = tensors?.find((t) => t.name === name);
  return tensor && tensor.data.length === size ? tensor.data : null;
}
