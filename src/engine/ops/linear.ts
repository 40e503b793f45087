// The fused affine map of nn.Linear: y = act(x·Wᵀ + b) with W stored [out, in] (PyTorch
// layout), and an optional activation applied in the same pass (Sequential and MLP fuse a
// Linear with the ReLU after it; the pre-activation is never stored).
// Forward is one transB matmul with the bias and activation in its epilogue; backward is
//   gz = g ⊙ act'(y),  db += column sums of gz   (one pass)
//   dx += gz·W  (plain),  dW += gzᵀ·x  (transA), each written instead when it is the first
//   contribution to that gradient (no zeroing, no read of zeros).
// Input features that are zero in every row of the batch (the pixels no digit in it touches:
// 42 % of them at batch 32, 29 % at 256) contribute nothing to y and get a zero gradient in
// dW, so when they are at least a fifth of all, both matmuls run on the other columns only
// (x and W gathered side by side, dW's columns scattered back). Exact, except that the sums
// are grouped differently and 0 · ∞ (a weight that diverged to infinity) is not computed.
import { result } from '../autograd';
import type { Activation } from '../kernels/fusedActivation';
import { runsWidth } from '../kernels/columns';
import { fusedKernels } from '../kernels/fused';
import { matmulInto } from '../kernels/matmul';
import { spanRecorder } from '../profile';
import { allocInt32Uninitialized, allocUninitialized } from '../storage';
import type { Tensor } from '../tensor';
import { formatShape } from './dims';

/** Look for all-zero input columns only in inputs at least this wide (the check reads all of x). */
const MIN_COMPACT_FEATURES = 64;
/** Skip the all-zero columns when at most this share of the columns is left. */
const COMPACT_WHEN_KEPT = 0.8;

export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  return linearActivated(x, weight, bias, 'none');
}

/** act(linear(x, weight, bias)) as one op. */
export function linearActivated(x: Tensor, weight: Tensor, bias: Tensor | null, activation: Activation): Tensor {
  if (x.shape.length !== 2 || weight.shape.length !== 2) {
    throw new Error(`linear: expected x [N, in] and weight [out, in], got ${formatShape(x.shape)} and ${formatShape(weight.shape)}`);
  }
  const [batch, inFeatures] = x.shape;
  const [outFeatures, weightIn] = weight.shape;
  if (weightIn !== inFeatures) {
    throw new Error(`linear: input has ${inFeatures} features but weight ${formatShape(weight.shape)} expects ${weightIn}`);
  }
  if (bias && (bias.shape.length !== 1 || bias.shape[0] !== outFeatures)) {
    throw new Error(`linear: bias must be [${outFeatures}], got ${formatShape(bias.shape)}`);
  }
  const kernels = fusedKernels();
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('linear.forward');
  // The columns of x (and of W) the matmuls use: all, or the runs of non-zero ones.
  let xs = x.data;
  let ws = weight.data;
  let width = inFeatures;
  let runs: Int32Array | null = null;
  let nruns = 0;
  if (inFeatures >= MIN_COMPACT_FEATURES) {
    runs = allocInt32Uninitialized(inFeatures + 1);
    nruns = kernels.columnRuns(xs, batch, inFeatures, runs);
    width = runsWidth(runs, nruns);
    if (width <= COMPACT_WHEN_KEPT * inFeatures) {
      xs = allocUninitialized(batch * width);
      kernels.gatherColumns(x.data, batch, inFeatures, runs, nruns, xs);
      ws = allocUninitialized(outFeatures * width);
      kernels.gatherColumns(weight.data, outFeatures, inFeatures, runs, nruns, ws);
    } else {
      runs = null;
      width = inFeatures;
    }
  }
  const y = allocUninitialized(batch * outFeatures);
  kernels.linearForward(xs, ws, bias ? bias.data : null, y, batch, width, outFeatures, activation);
  rec?.end();
  const inputs = bias ? [x, weight, bias] : [x, weight];
  const name = activation === 'none' ? 'linear' : `linear+${activation}`;
  return result(y, [batch, outFeatures], name, inputs, (g, gradIn, gradFirst) => {
    const r = spanRecorder();
    r?.begin('linear.backward');
    const gb = bias ? gradIn(2) : null;
    let gz = g;
    if (activation !== 'none') gz = allocUninitialized(batch * outFeatures);
    if (activation !== 'none' || gb) fusedKernels().activationBackward(g, y, batch, outFeatures, activation, gz === g ? null : gz, gb);
    const fx = gradFirst(0);
    const gx = fx ?? gradIn(0);
    if (gx) {
      matmulInto({ a: gz, b: weight.data, c: gx, m: batch, k: outFeatures, n: inFeatures, transA: false, transB: false, accumulate: !fx });
    }
    const fw = gradFirst(1);
    const gw = fw ?? gradIn(1);
    if (gw && runs) {
      const part = allocUninitialized(outFeatures * width);
      matmulInto({ a: gz, b: xs, c: part, m: outFeatures, k: batch, n: width, transA: true, transB: false });
      fusedKernels().scatterColumns(part, outFeatures, runs, nruns, gw, inFeatures, !fw);
    } else if (gw) {
      matmulInto({ a: gz, b: xs, c: gw, m: outFeatures, k: batch, n: inFeatures, transA: true, transB: false, accumulate: !fw });
    }
    r?.end();
  });
}
