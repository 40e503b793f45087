// Elementwise loops over Float32Array, forward and gradient. No shapes, no autograd:
// broadcasting arrives as precomputed index arrays (see ops/dims.ts broadcastIndex).
//
// One loop per operator (the switch sits outside the loop) so each stays monomorphic.

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';

/** out[i] = a[i] op b[i] */
export function binarySame(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      break;
  }
}

/** out[i] = a[i] op s */
export function binaryScalar(op: BinaryOp, a: Float32Array, s: number, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i] + s;
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i] - s;
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i] * s;
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i] / s;
      break;
  }
}

/** out[i] = a[ia[i]] op b[ib[i]] */
export function binaryIndexed(op: BinaryOp, a: Float32Array, ia: Int32Array, b: Float32Array, ib: Int32Array, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[ia[i]] + b[ib[i]];
      break;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[ia[i]] - b[ib[i]];
      break;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[ia[i]] * b[ib[i]];
      break;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[ia[i]] / b[ib[i]];
      break;
  }
}

/**
 * Gradients of out = a op b for same-shape inputs: da += g·∂out/∂a, db += g·∂out/∂b
 * (a null target is skipped).
 */
export function binaryGradSame(op: BinaryOp, g: Float32Array, a: Float32Array, b: Float32Array, da: Float32Array | null, db: Float32Array | null): void {
  const n = g.length;
  switch (op) {
    case 'add':
    case 'sub':
      if (da) for (let i = 0; i < n; i++) da[i] += g[i];
      if (db) {
        if (op === 'add') for (let i = 0; i < n; i++) db[i] += g[i];
        else for (let i = 0; i < n; i++) db[i] -= g[i];
      }
      break;
    case 'mul':
      if (da) for (let i = 0; i < n; i++) da[i] += g[i] * b[i];
      if (db) for (let i = 0; i < n; i++) db[i] += g[i] * a[i];
      break;
    case 'div':
      if (da) for (let i = 0; i < n; i++) da[i] += g[i] / b[i];
      if (db) for (let i = 0; i < n; i++) db[i] -= (g[i] * a[i]) / (b[i] * b[i]);
      break;
  }
}

/**
 * The same for broadcast inputs: element i of the output read a[ia[i]] and b[ib[i]], so its
 * gradient is summed back into those elements (the unbroadcast).
 */
export function binaryGradIndexed(op: BinaryOp, g: Float32Array, a: Float32Array, ia: Int32Array, b: Float32Array, ib: Int32Array, da: Float32Array | null, db: Float32Array | null): void {
  const n = g.length;
  switch (op) {
    case 'add':
    case 'sub':
      if (da) for (let i = 0; i < n; i++) da[ia[i]] += g[i];
      if (db) {
        if (op === 'add') for (let i = 0; i < n; i++) db[ib[i]] += g[i];
        else for (let i = 0; i < n; i++) db[ib[i]] -= g[i];
      }
      break;
    case 'mul':
      if (da) for (let i = 0; i < n; i++) da[ia[i]] += g[i] * b[ib[i]];
      if (db) for (let i = 0; i < n; i++) db[ib[i]] += g[i] * a[ia[i]];
      break;
    case 'div':
      if (da) for (let i = 0; i < n; i++) da[ia[i]] += g[i] / b[ib[i]];
      if (db) {
        for (let i = 0; i < n; i++) {
          const bv = b[ib[i]];
          db[ib[i]] -= (g[i] * a[ia[i]]) / (bv * bv);
        }
      }
      break;
  }
}

/** dst[i] += scale * g[i] */
export function addScaled(g: Float32Array, scale: number, dst: Float32Array): void {
  for (let i = 0; i < g.length; i++) dst[i] += scale * g[i];
}

/** ReLU is not here: ops/activation.ts runs it through the fused kernels (reluBits below is their reference). */
export type UnaryOp = 'neg' | 'exp' | 'log' | 'tanh' | 'sigmoid';

export function unary(op: UnaryOp, x: Float32Array, out: Float32Array): void {
  const n = out.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      break;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      break;
    case 'sigmoid':
      // Split by sign so exp never overflows.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
        else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      break;
  }
}

/**
 * dx[i] += g[i] · f'(x[i]), written in terms of the input x or the output y, whichever
 * the derivative is cheapest in.
 */
export function unaryGrad(op: UnaryOp, g: Float32Array, x: Float32Array, y: Float32Array, dx: Float32Array): void {
  const n = g.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) dx[i] -= g[i];
      break;
    case 'exp':
      for (let i = 0; i < n; i++) dx[i] += g[i] * y[i];
      break;
    case 'log':
      for (let i = 0; i < n; i++) dx[i] += g[i] / x[i];
      break;
    case 'tanh':
      for (let i = 0; i < n; i++) dx[i] += g[i] * (1 - y[i] * y[i]);
      break;
    case 'sigmoid':
      for (let i = 0; i < n; i++) dx[i] += g[i] * y[i] * (1 - y[i]);
      break;
  }
}

// ReLU on the float bits, without a branch per element: on activations of random sign a
// compare-and-branch mispredicts half the time, which measured 3–10× slower than these loops
// (2.4 ms against 0.5 ms forward for 200k values, the first layer of the MNIST CNN).
const int32View = (a: Float32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);

/** out = x where x's sign bit is clear, else +0 (so −0 and −∞ give 0). */
export function reluBits(x: Float32Array, out: Float32Array): void {
  const xi = int32View(x);
  const oi = int32View(out);
  for (let i = 0; i < xi.length; i++) {
    const b = xi[i];
    oi[i] = b & ~(b >> 31);
  }
}

/** dx += g where the output y > 0, i.e. where y's bits are a positive integer. */
export function reluGradBits(g: Float32Array, y: Float32Array, dx: Float32Array): void {
  reluGradMasked(g, y, dx, true);
}

/**
 * dx = g where y > 0, else +0: what reluGradBits gives into a zeroed dx (0 + the masked
 * gradient, so −0 becomes +0 there too), without zeroing dx first (autograd's FirstGradSink).
 */
export function reluGradWriteBits(g: Float32Array, y: Float32Array, dx: Float32Array): void {
  reluGradMasked(g, y, dx, false);
}

function reluGradMasked(g: Float32Array, y: Float32Array, dx: Float32Array, accumulate: boolean): void {
  const gi = int32View(g);
  const yi = int32View(y);
  // g's bits, masked to +0 where y is not positive, pass through a one-float view: exact, so an
  // infinite or NaN gradient of a dead unit does not leak through as 0·∞.
  const cell = new Float32Array(1);
  const cellBits = int32View(cell);
  for (let i = 0; i < gi.length; i++) {
    const b = yi[i];
    // 1 for positive bits: (−b)'s sign bit is set, and b's is not (−(−2³¹) is not an int32).
    const positive = (-b >>> 31) & ~(b >> 31);
    cellBits[0] = gi[i] & -positive;
    dx[i] = (accumulate ? dx[i] : 0) + cell[0];
  }
}
