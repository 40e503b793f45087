// Dropout, as torch.nn.functional.dropout: in training each element is zeroed with
// probability p and the survivors scaled by 1/(1 − p); otherwise the input passes through
// unchanged (the same tensor). The mask is drawn from the caller's seeded Rng, so a run is
// reproducible by its seed; backward multiplies by the same mask.
import { result } from '../autograd';
import type { Rng } from '../data/rng';
import { applyMask, applyMaskGrad, dropoutMask } from '../kernels/dropout';
import { spanRecorder } from '../profile';
import { allocFloat32 } from '../storage';
import type { Tensor } from '../tensor';

export function dropout(x: Tensor, p: number, training: boolean, rng: Rng): Tensor {
  checkDropoutP(p);
  if (!training || p === 0) return x;
  const rec = spanRecorder(); // `npm run bench -- --profile` (profile.ts); null unless the bench installed one
  rec?.begin('dropout.forward');
  const mask = allocFloat32(x.size);
  dropoutMask(rng, p, mask);
  const out = allocFloat32(x.size);
  applyMask(x.data, mask, out);
  rec?.end();
  return result(out, x.shape, 'dropout', [x], (g, gradIn) => {
    const r = spanRecorder();
    r?.begin('dropout.backward');
    const gx = gradIn(0);
    if (gx) applyMaskGrad(g, mask, gx);
    r?.end();
  });
}

export function checkDropoutP(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be a probability in [0, 1], got ${p}`);
}
