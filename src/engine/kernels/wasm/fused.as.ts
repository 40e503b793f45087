// @ts-nocheck — AssemblyScript source (v128, f32x4, load/store builtins), compiled by
// scripts/build-wasm.mjs with `asc` into the same module as matmul.as.ts, never by tsc.
//
// The training step's element-wise work, one pass each, on operands that already live in
// the WASM memory (all pointers are byte offsets; none need be aligned). The TypeScript
// versions these must agree with are in kernels/fused.ts; where both compute in float32
// (the masks, the column sums, the pixel scaling) they agree bit for bit.

// Activation codes, as kernels/fusedActivation.ts ACTIVATION_CODE numbers them.
const ACT_RELU: i32 = 1;
/** The smallest normal float32; below it values are subnormal (slow on x86). */
const MIN_NORMAL: f32 = 1.17549435e-38;

// gz = g ⊙ act'(y) for a [rows, cols] matrix (ReLU: g where y > 0, else 0), written into gz
// unless gz is 0 (no activation: g is used as it is); then db[c] += Σ_r gz[r, c], in row
// order, when db is not 0. The bias gradient of Linear and the activation's backward in one pass.
export function activationBackward(g: usize, y: usize, rows: i32, cols: i32, act: i32, gz: usize, db: usize): void {
  const zero = f32x4.splat(0);
  const relu = act == ACT_RELU && gz != 0;
  const src = relu ? gz : g;
  if (relu) {
    const n = rows * cols;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const at = <usize>(i << 2);
      v128.store(gz + at, v128.and(v128.load(g + at), f32x4.gt(v128.load(y + at), zero)));
    }
    for (; i < n; i++) {
      const at = <usize>(i << 2);
      store<f32>(gz + at, load<f32>(y + at) > 0 ? load<f32>(g + at) : 0);
    }
  }
  if (db == 0) return;
  let c = 0;
  for (; c + 4 <= cols; c += 4) {
    let acc = v128.load(db + <usize>(c << 2));
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(src + <usize>((r * cols + c) << 2)));
    v128.store(db + <usize>(c << 2), acc);
  }
  for (; c < cols; c++) {
    let acc = load<f32>(db + <usize>(c << 2));
    for (let r = 0; r < rows; r++) acc += load<f32>(src + <usize>((r * cols + c) << 2));
    store<f32>(db + <usize>(c << 2), acc);
  }
}

// Softmax cross-entropy over logits [n, c] and class indices (i32), in one pass: returns the
// mean loss and writes d(mean loss)/d(logits) = (softmax − onehot) / n into dlogits (unless 0).
// Float64 inside, as the TypeScript reference computes.
export function crossEntropy(logits: usize, targets: usize, n: i32, c: i32, dlogits: usize): f64 {
  let total: f64 = 0;
  const invN: f64 = 1.0 / <f64>n;
  for (let r = 0; r < n; r++) {
    const row = logits + <usize>((r * c) << 2);
    const out = dlogits + <usize>((r * c) << 2);
    let m: f64 = -Infinity;
    for (let j = 0; j < c; j++) {
      const v = <f64>load<f32>(row + <usize>(j << 2));
      if (v > m) m = v;
    }
    let s: f64 = 0;
    for (let j = 0; j < c; j++) s += Math.exp(<f64>load<f32>(row + <usize>(j << 2)) - m);
    const t = load<i32>(targets + <usize>(r << 2));
    if (dlogits != 0) {
      const inv = 1.0 / s;
      for (let j = 0; j < c; j++) {
        const p = Math.exp(<f64>load<f32>(row + <usize>(j << 2)) - m) * inv;
        store<f32>(out + <usize>(j << 2), <f32>((j == t ? p - 1.0 : p) * invN));
      }
    }
    total += m + Math.log(s) - <f64>load<f32>(row + <usize>(t << 2));
  }
  return total / <f64>n;
}

// dst += scale · src over n floats.
export function addScaled(src: usize, scale: f32, dst: usize, n: i32): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    v128.store(dst + at, f32x4.add(v128.load(dst + at), f32x4.mul(s, v128.load(src + at))));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    store<f32>(dst + at, load<f32>(dst + at) + scale * load<f32>(src + at));
  }
}

// out = x where x's sign bit is clear, else +0 (so −0 and −∞ give 0, a NaN with a clear sign
// stays): kernels/elementwise.ts reluBits, four floats at a time.
export function relu(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    const b = v128.load(x + at);
    v128.store(out + at, v128.andnot(b, i32x4.shr_s(b, 31)));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    const b = load<i32>(x + at);
    store<i32>(out + at, b & ~(b >> 31));
  }
}

// dx += g where y > 0 (y's bits a positive int32): kernels/elementwise.ts reluGradBits. The
// masked gradient is +0 elsewhere, so an infinite or NaN gradient of a dead unit adds nothing.
export function reluGrad(g: usize, y: usize, dx: usize, n: i32): void {
  const zero = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    const masked = v128.and(v128.load(g + at), i32x4.gt_s(v128.load(y + at), zero));
    v128.store(dx + at, f32x4.add(v128.load(dx + at), masked));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    const masked = select<i32>(load<i32>(g + at), 0, load<i32>(y + at) > 0);
    store<f32>(dx + at, load<f32>(dx + at) + reinterpret<f32>(masked));
  }
}

// dx = g where y > 0, else +0: reluGrad into a zeroed dx (0 + the masked gradient, so a −0
// gradient gives +0 as it would there), written without zeroing dx first. For a gradient
// buffer nothing has been added to yet (autograd's FirstGradSink).
export function reluGradWrite(g: usize, y: usize, dx: usize, n: i32): void {
  const zero = i32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    const masked = v128.and(v128.load(g + at), i32x4.gt_s(v128.load(y + at), zero));
    v128.store(dx + at, f32x4.add(zero, masked));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    const masked = select<i32>(load<i32>(g + at), 0, load<i32>(y + at) > 0);
    store<f32>(dx + at, <f32>0 + reinterpret<f32>(masked));
  }
}

// Σ x² over n floats, in float64 (the gradient norm: a float32 sum of 10⁵ squares would lose
// digits). Each square is a float32 product, as in kernels/reduce.ts sumOfSquares; the sums
// follow another order, so the two agree to float64 rounding, not bit for bit.
export function sumOfSquares(x: usize, n: i32): f64 {
  return squares(x, 0, n, false);
}

// Σ (a − b)² over n floats, the same way: how far a step moved the parameters (a's values
// against the copy b made before it). Each difference is a float32 subtraction.
export function sumOfSquaredDifferences(a: usize, b: usize, n: i32): f64 {
  return squares(a, b, n, true);
}

// One body for both: `minus` is a constant at each call, so each inlined copy keeps only its branch.
// @ts-ignore: decorator
@inline function squares(x: usize, y: usize, n: i32, minus: bool): f64 {
  // Four independent pairs of float64 sums, 16 floats a round: one pair would wait on its own adds.
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), b0 = f64x2.splat(0), b1 = f64x2.splat(0);
  let c0 = f64x2.splat(0), c1 = f64x2.splat(0), d0 = f64x2.splat(0), d1 = f64x2.splat(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const at = x + <usize>(i << 2);
    let va = v128.load(at), vb = v128.load(at, 16), vc = v128.load(at, 32), vd = v128.load(at, 48);
    if (minus) {
      const from = y + <usize>(i << 2);
      va = f32x4.sub(va, v128.load(from));
      vb = f32x4.sub(vb, v128.load(from, 16));
      vc = f32x4.sub(vc, v128.load(from, 32));
      vd = f32x4.sub(vd, v128.load(from, 48));
    }
    const sa = f32x4.mul(va, va), sb = f32x4.mul(vb, vb), sc = f32x4.mul(vc, vc), sd = f32x4.mul(vd, vd);
    a0 = f64x2.add(a0, f64x2.promote_low_f32x4(sa));
    a1 = f64x2.add(a1, f64x2.promote_low_f32x4(v128.shuffle<f32>(sa, sa, 2, 3, 0, 1)));
    b0 = f64x2.add(b0, f64x2.promote_low_f32x4(sb));
    b1 = f64x2.add(b1, f64x2.promote_low_f32x4(v128.shuffle<f32>(sb, sb, 2, 3, 0, 1)));
    c0 = f64x2.add(c0, f64x2.promote_low_f32x4(sc));
    c1 = f64x2.add(c1, f64x2.promote_low_f32x4(v128.shuffle<f32>(sc, sc, 2, 3, 0, 1)));
    d0 = f64x2.add(d0, f64x2.promote_low_f32x4(sd));
    d1 = f64x2.add(d1, f64x2.promote_low_f32x4(v128.shuffle<f32>(sd, sd, 2, 3, 0, 1)));
  }
  const sum = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(b0, b1)), f64x2.add(f64x2.add(c0, c1), f64x2.add(d0, d1)));
  let total = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  for (; i < n; i++) {
    let v = load<f32>(x + <usize>(i << 2));
    if (minus) v -= load<f32>(y + <usize>(i << 2));
    total += <f64>(v * v);
  }
  return total;
}

// One Adam step over n parameters, torch.optim.Adam's formulas in float32:
//   g += wd·p;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  p −= stepSize · m / (√v · invC2 + eps)
// with stepSize = lr / (1 − β1ᵗ) and invC2 = 1 / √(1 − β2ᵗ) computed by the caller, and 1 − β1 and
// 1 − β2 too (keep1, keep2: computed in float64, then rounded, as PyTorch rounds them): 1 − β2
// taken from float32's β2 (0.999 → 0.99900001) is 1.3e-5 off 0.001, which made every early
// update 6.6e-6 too large against PyTorch's float64 replay (tests/engine/model-replay.test.ts).
// Moments below float32's smallest normal (1.2e-38) are stored as 0, as PyTorch's
// set_flush_denormal(True) would: weights of pixels that are almost never inked have moments
// that decay through the subnormal range, and x86 takes ~100 cycles per subnormal operand, which
// made this loop 2× slower in training (8 % of exp_avg subnormal after 3k steps). An update from
// such a moment is below 1e-30 of the learning rate.
export function adam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, keep1: f32, beta2: f32, keep2: f32, stepSize: f32, invC2: f32, eps: f32, wd: f32,
): void {
  const b1 = f32x4.splat(beta1), k1 = f32x4.splat(keep1);
  const b2 = f32x4.splat(beta2), k2 = f32x4.splat(keep2);
  const ss = f32x4.splat(stepSize), ic = f32x4.splat(invC2), ep = f32x4.splat(eps), w = f32x4.splat(wd);
  const tiny = f32x4.splat(MIN_NORMAL);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    const pv = v128.load(p + at);
    let gv = v128.load(g + at);
    if (wd != 0) gv = f32x4.add(gv, f32x4.mul(w, pv));
    let mv = f32x4.add(f32x4.mul(b1, v128.load(m + at)), f32x4.mul(k1, gv));
    let vv = f32x4.add(f32x4.mul(b2, v128.load(v + at)), f32x4.mul(k2, f32x4.mul(gv, gv)));
    mv = v128.and(mv, f32x4.ge(f32x4.abs(mv), tiny));
    vv = v128.and(vv, f32x4.ge(vv, tiny));
    v128.store(m + at, mv);
    v128.store(v + at, vv);
    v128.store(p + at, f32x4.sub(pv, f32x4.div(f32x4.mul(ss, mv), f32x4.add(f32x4.mul(f32x4.sqrt(vv), ic), ep))));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    const pj = load<f32>(p + at);
    let gj = load<f32>(g + at);
    if (wd != 0) gj += wd * pj;
    let mj = beta1 * load<f32>(m + at) + keep1 * gj;
    let vj = beta2 * load<f32>(v + at) + keep2 * (gj * gj);
    if (Mathf.abs(mj) < MIN_NORMAL) mj = 0;
    if (vj < MIN_NORMAL) vj = 0;
    store<f32>(m + at, mj);
    store<f32>(v + at, vj);
    store<f32>(p + at, pj - (stepSize * mj) / (Mathf.sqrt(vj) * invC2 + eps));
  }
}

// One SGD step over n parameters, torch.optim.SGD's formulas in float32:
//   d = g + wd·p;  buf = d on the first step, else momentum·buf + (1 − dampening)·d;
//   d = nesterov ? d + momentum·buf : buf;  p −= lr·d.   buf is 0 when momentum is 0.
export function sgd(
  p: usize, g: usize, buf: usize, n: i32,
  lr: f32, momentum: f32, dampening: f32, wd: f32, nesterov: i32, first: i32,
): void {
  const lrv = f32x4.splat(lr), mo = f32x4.splat(momentum), keep = f32x4.splat(1 - dampening), w = f32x4.splat(wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>(i << 2);
    const pv = v128.load(p + at);
    let d = f32x4.add(v128.load(g + at), f32x4.mul(w, pv));
    if (buf != 0) {
      const b = first ? d : f32x4.add(f32x4.mul(mo, v128.load(buf + at)), f32x4.mul(keep, d));
      v128.store(buf + at, b);
      d = nesterov ? f32x4.add(d, f32x4.mul(mo, b)) : b;
    }
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(lrv, d)));
  }
  for (; i < n; i++) {
    const at = <usize>(i << 2);
    const pj = load<f32>(p + at);
    let d = load<f32>(g + at) + wd * pj;
    if (buf != 0) {
      const b = first ? d : momentum * load<f32>(buf + at) + (1 - dampening) * d;
      store<f32>(buf + at, b);
      d = nesterov ? d + momentum * b : b;
    }
    store<f32>(p + at, pj - lr * d);
  }
}

// out[r, :] = images[indices[r], :] / 255 as float32 (PyTorch's `x.float() / 255`), for
// `count` rows of `rowBytes` pixels (u8); indices are i32.
// The rows are random lines of a 47 MB data set, so nearly every one misses the caches and
// the TLB: a first pass touches every cache line of every row, so that the misses overlap
// instead of coming one row at a time (half the time at batch 256).
export function gatherScaled(images: usize, rowBytes: i32, indices: usize, count: i32, out: usize): void {
  let touched: u32 = 0;
  for (let r = 0; r < count; r++) {
    const src = images + <usize>(load<i32>(indices + <usize>(r << 2))) * <usize>rowBytes;
    for (let p = 0; p < rowBytes; p += 64) touched += load<u8>(src + <usize>p);
  }
  if (count > 0) store<u32>(out, touched); // overwritten below: keeps the touching loads
  const c255 = f32x4.splat(255);
  const inv = f32x4.splat(<f32>(1.0 / 255.0));
  for (let r = 0; r < count; r++) {
    const src = images + <usize>(load<i32>(indices + <usize>(r << 2))) * <usize>rowBytes;
    const dst = out + <usize>(r * rowBytes) * 4;
    let p = 0;
    for (; p + 16 <= rowBytes; p += 16) {
      const bytes = v128.load(src + <usize>p);
      const lo = i16x8.extend_low_i8x16_u(bytes);
      const hi = i16x8.extend_high_i8x16_u(bytes);
      const d = dst + <usize>(p << 2);
      v128.store(d, div255(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), c255, inv));
      v128.store(d, div255(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), c255, inv), 16);
      v128.store(d, div255(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), c255, inv), 32);
      v128.store(d, div255(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), c255, inv), 48);
    }
    for (; p < rowBytes; p++) store<f32>(dst + <usize>(p << 2), <f32>load<u8>(src + <usize>p) / 255);
  }
}

// x / 255 correctly rounded for x = 0..255, without a divide (a quarter of the cost): the
// product with 1/255 is off by one ulp for 126 of the 256 values; one correction step with the
// remainder x − q·255 (exact in float32 here) gives the quotient for all of them, which the
// tests check value by value against the division.
// @ts-ignore: decorator
@inline
function div255(x: v128, c255: v128, inv: v128): v128 {
  const q = f32x4.mul(x, inv);
  return f32x4.add(q, f32x4.mul(f32x4.sub(x, f32x4.mul(q, c255)), inv));
}

// The columns of x [rows, cols] that are not zero in every row, as runs: [start, length] pairs
// written to `runs` (i32); returns the number of runs. ±0 counts as zero; NaN does not. A
// batch of MNIST digits leaves 42 % of the 784 pixel columns zero at batch 32 (29 % at 256),
// and a Linear layer skips them (ops/linear.ts).
export function columnRuns(x: usize, rows: i32, cols: i32, runs: usize): i32 {
  // First the OR of every row's magnitude bits, column by column, into `runs` (row by row:
  // x is read in order), then that mask turned into runs in place: the pair of run k goes to
  // ints 2k and 2k + 1, and run k cannot start before column 2k, so no unread mask is overwritten.
  const magnitude = i32x4.splat(0x7fffffff);
  let c = 0;
  for (; c + 4 <= cols; c += 4) v128.store(runs + <usize>(c << 2), i32x4.splat(0));
  for (; c < cols; c++) store<i32>(runs + <usize>(c << 2), 0);
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>((r * cols) << 2);
    c = 0;
    for (; c + 4 <= cols; c += 4) {
      const at = <usize>(c << 2);
      v128.store(runs + at, v128.or(v128.load(runs + at), v128.and(v128.load(row + at), magnitude)));
    }
    for (; c < cols; c++) {
      const at = <usize>(c << 2);
      store<i32>(runs + at, load<i32>(runs + at) | (load<i32>(row + at) & 0x7fffffff));
    }
  }
  let count = 0;
  let start = -1;
  for (c = 0; c < cols; c++) {
    const nonzero = load<i32>(runs + <usize>(c << 2)) != 0;
    if (nonzero && start < 0) start = c;
    if (!nonzero && start >= 0) {
      store<i32>(runs + <usize>(count << 3), start);
      store<i32>(runs + <usize>(count << 3) + 4, c - start);
      count++;
      start = -1;
    }
  }
  if (start >= 0) {
    store<i32>(runs + <usize>(count << 3), start);
    store<i32>(runs + <usize>(count << 3) + 4, cols - start);
    count++;
  }
  return count;
}

// dst [rows, total] = the columns of src [rows, cols] in `runs` (see columnRuns), side by side.
export function gatherColumns(src: usize, rows: i32, cols: i32, runs: usize, nruns: i32, dst: usize): void {
  let out = dst;
  for (let r = 0; r < rows; r++) {
    const row = src + <usize>((r * cols) << 2);
    for (let k = 0; k < nruns; k++) {
      const from = row + <usize>(load<i32>(runs + <usize>(k << 3)) << 2);
      const length = load<i32>(runs + <usize>(k << 3) + 4);
      copyFloats(out, from, length);
      out += <usize>(length << 2);
    }
  }
}

// The columns of dst [rows, cols] in `runs` = src [rows, total] (columns side by side), added
// when `accumulate`; with `accumulate` false the other columns of dst are set to zero.
export function scatterColumns(src: usize, rows: i32, runs: usize, nruns: i32, dst: usize, cols: i32, accumulate: i32): void {
  let from = src;
  for (let r = 0; r < rows; r++) {
    const row = dst + <usize>((r * cols) << 2);
    let done = 0;
    for (let k = 0; k < nruns; k++) {
      const start = load<i32>(runs + <usize>(k << 3));
      const length = load<i32>(runs + <usize>(k << 3) + 4);
      const to = row + <usize>(start << 2);
      if (accumulate) {
        let q = 0;
        for (; q + 4 <= length; q += 4) {
          const at = <usize>(q << 2);
          v128.store(to + at, f32x4.add(v128.load(to + at), v128.load(from + at)));
        }
        for (; q < length; q++) store<f32>(to + <usize>(q << 2), load<f32>(to + <usize>(q << 2)) + load<f32>(from + <usize>(q << 2)));
      } else {
        zeroFloats(row + <usize>(done << 2), start - done);
        copyFloats(to, from, length);
      }
      from += <usize>(length << 2);
      done = start + length;
    }
    if (!accumulate) zeroFloats(row + <usize>(done << 2), cols - done);
  }
}

// Runs are short (a few to a few dozen floats: the inked stretch of one pixel row), where a
// loop of 16-byte moves beats memory.copy / memory.fill, which V8 runs as calls.
// @ts-ignore: decorator
@inline
function copyFloats(dst: usize, src: usize, n: i32): void {
  let q = 0;
  for (; q + 4 <= n; q += 4) v128.store(dst + <usize>(q << 2), v128.load(src + <usize>(q << 2)));
  for (; q < n; q++) store<f32>(dst + <usize>(q << 2), load<f32>(src + <usize>(q << 2)));
}

// @ts-ignore: decorator
@inline
function zeroFloats(dst: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let q = 0;
  for (; q + 4 <= n; q += 4) v128.store(dst + <usize>(q << 2), zero);
  for (; q < n; q++) store<f32>(dst + <usize>(q << 2), 0);
}
