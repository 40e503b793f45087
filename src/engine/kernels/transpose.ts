// Swapping two axes of a row-major array, seen as [outer, A, mid, B, inner] → [outer, B, mid, A, inner].

export interface SwapAxesLayout {
  outer: number;
  a: number;
  mid: number;
  b: number;
  inner: number;
}

/** dst = src with axes A and B swapped; with `accumulate`, dst += that instead. */
export function swapAxesInto(src: Float32Array, layout: SwapAxesLayout, dst: Float32Array, accumulate: boolean): void {
  const { outer, a: A, mid: M, b: B, inner: I } = layout;
  for (let o = 0; o < outer; o++) {
    for (let b = 0; b < B; b++) {
      for (let m = 0; m < M; m++) {
        for (let a = 0; a < A; a++) {
          const from = (((o * A + a) * M + m) * B + b) * I;
          const to = (((o * B + b) * M + m) * A + a) * I;
          if (accumulate) for (let i = 0; i < I; i++) dst[to + i] += src[from + i];
          else for (let i = 0; i < I; i++) dst[to + i] = src[from + i];
        }
      }
    }
  }
}
