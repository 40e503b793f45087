// @ts-nocheck — AssemblyScript, compiled by bench/convDirectBench.ts for one measurement (not
// part of the engine): a direct convolution kernel, to compare with im2col + gemm.
//
// Direct convolution, forward, stride 1: y[n, o, oh, ow] = b[o] + Σ w[o, c, ki, kj]·xp[n, c, oh + ki, ow + kj]
// over a zero-padded input xp [N, C, Hp, Wp] (Wp ≥ oW rounded up to 8, plus kW). Weights pre-arranged
// as wt[c, ki, kj, o] so the four output channels of a block are adjacent. 4 channels × 8 columns
// of outputs live in 8 v128 accumulators.
export function directForward(xp: usize, n: i32, c: i32, hp: i32, wp: i32, wt: usize, bias: usize, o: i32, kH: i32, kW: i32, oH: i32, oW: i32, y: usize, tile: usize): void {
  for (let ni = 0; ni < n; ni++) {
    for (let ob = 0; ob < o; ob += 4) {
      const b0 = f32x4.splat(load<f32>(bias + <usize>(ob << 2)));
      const b1 = f32x4.splat(load<f32>(bias + <usize>((ob + 1) << 2)));
      const b2 = f32x4.splat(load<f32>(bias + <usize>((ob + 2) << 2)));
      const b3 = f32x4.splat(load<f32>(bias + <usize>((ob + 3) << 2)));
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow += 8) {
          let a00 = b0,
            a01 = b0,
            a10 = b1,
            a11 = b1,
            a20 = b2,
            a21 = b2,
            a30 = b3,
            a31 = b3;
          for (let ci = 0; ci < c; ci++) {
            for (let ki = 0; ki < kH; ki++) {
              const row = xp + <usize>((((ni * c + ci) * hp + oh + ki) * wp + ow) << 2);
              let wp4 = wt + <usize>(((ci * kH + ki) * kW * o + ob) << 2);
              for (let kj = 0; kj < kW; kj++) {
                const x0 = v128.load(row + <usize>(kj << 2));
                const x1 = v128.load(row + <usize>((kj + 4) << 2));
                let wv = v128.load32_splat(wp4);
                a00 = f32x4.add(a00, f32x4.mul(wv, x0));
                a01 = f32x4.add(a01, f32x4.mul(wv, x1));
                wv = v128.load32_splat(wp4, 4);
                a10 = f32x4.add(a10, f32x4.mul(wv, x0));
                a11 = f32x4.add(a11, f32x4.mul(wv, x1));
                wv = v128.load32_splat(wp4, 8);
                a20 = f32x4.add(a20, f32x4.mul(wv, x0));
                a21 = f32x4.add(a21, f32x4.mul(wv, x1));
                wv = v128.load32_splat(wp4, 12);
                a30 = f32x4.add(a30, f32x4.mul(wv, x0));
                a31 = f32x4.add(a31, f32x4.mul(wv, x1));
                wp4 += <usize>(o << 2);
              }
            }
          }
          const cols = min(8, oW - ow);
          const base = y + <usize>((((ni * o + ob) * oH + oh) * oW + ow) << 2);
          const plane = <usize>((oH * oW) << 2);
          if (cols == 8) {
            v128.store(base, a00);
            v128.store(base, a01, 16);
            v128.store(base + plane, a10);
            v128.store(base + plane, a11, 16);
            v128.store(base + 2 * plane, a20);
            v128.store(base + 2 * plane, a21, 16);
            v128.store(base + 3 * plane, a30);
            v128.store(base + 3 * plane, a31, 16);
          } else {
            v128.store(tile, a00);
            v128.store(tile, a01, 16);
            v128.store(tile, a10, 32);
            v128.store(tile, a11, 48);
            v128.store(tile, a20, 64);
            v128.store(tile, a21, 80);
            v128.store(tile, a30, 96);
            v128.store(tile, a31, 112);
            for (let r = 0; r < 4; r++)
              for (let q = 0; q < cols; q++) {
                store<f32>(base + <usize>r * plane + <usize>(q << 2), load<f32>(tile + <usize>((r * 8 + q) << 2)));
              }
          }
        }
      }
    }
  }
}

// xp[n, c, ih + p, iw + p] = x[n, c, ih, iw], zeros elsewhere.
export function padInput(x: usize, n: i32, c: i32, h: i32, w: i32, p: i32, hp: i32, wp: i32, xp: usize): void {
  memory.fill(xp, 0, <usize>((n * c * hp * wp) << 2));
  for (let pl = 0; pl < n * c; pl++) {
    for (let ih = 0; ih < h; ih++) {
      memory.copy(xp + <usize>(((pl * hp + ih + p) * wp + p) << 2), x + <usize>(((pl * h + ih) * w) << 2), <usize>(w << 2));
    }
  }
}
