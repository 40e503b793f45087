// Dropout, as torch.nn.Dropout: active in training mode only (see Module.train/eval). The
// mask comes from this module's own seeded Rng, so a run is reproducible by its seed.
import { Rng } from '../data/rng';
import { checkDropoutP, dropout } from '../ops/dropout';
import type { Tensor } from '../tensor';
import { Module } from './module';

export interface DropoutOptions {
  /** Probability of zeroing an element; default 0.5. */
  p?: number;
  rng?: Rng;
}

export class Dropout extends Module {
  readonly p: number;
  private readonly rng: Rng;

  constructor(options: DropoutOptions = {}) {
    super();
    this.p = options.p ?? 0.5;
    checkDropoutP(this.p);
    this.rng = options.rng ?? new Rng(0);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.rng);
  }
}
