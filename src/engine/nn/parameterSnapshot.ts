// The parameters' values at one moment, kept to measure how far the next step moves them:
// ‖after − before‖ / ‖before‖, the update-to-weight ratio (around 1e-3 is the classic sign of a
// healthy learning rate). The copies live where the parameters do (the WASM memory, when the
// kernels are on) and are reused from one snapshot to the next, so both passes run in the
// fused kernels in place and a snapshot leaves no garbage: the training health monitor takes
// one about once a second, and on every step of an explosion.
import { fusedKernels } from '../kernels/fused';
import { persistentFloat32 } from '../storage';
import type { Tensor } from '../tensor';

export class ParameterSnapshot {
  private readonly copies: Float32Array[];
  private taken = false;

  constructor(private readonly params: readonly Tensor[]) {
    this.copies = params.map((p) => persistentFloat32(p.data.length));
  }

  /** Copies the parameters' values now (replacing the last snapshot). */
  take(): void {
    this.params.forEach((p, k) => this.copies[k].set(p.data));
    this.taken = true;
  }

  /**
   * ‖now − then‖ / ‖then‖ over all the parameters together (0 when they were all 0), and
   * forgets the snapshot. Null when none was taken.
   */
  updateRatio(): number | null {
    if (!this.taken) return null;
    this.taken = false;
    const kernels = fusedKernels();
    let delta = 0;
    let norm = 0;
    this.params.forEach((p, k) => {
      delta += kernels.sumOfSquaredDifferences(p.data, this.copies[k]);
      norm += kernels.sumOfSquares(this.copies[k]);
    });
    return norm > 0 ? Math.sqrt(delta / norm) : 0;
  }
}
