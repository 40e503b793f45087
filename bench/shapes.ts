// The matmul shapes the issue asks for: the MLP's forward at batch 32 and 256, the
// weight-gradient shape of the backward (Aᵀ·B), and a large square one.

export interface MatmulShape {
  name: string;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

export const MATMUL_SHAPES: readonly MatmulShape[] = [
  { name: '32×784×128', m: 32, k: 784, n: 128, transA: false, transB: false },
  { name: '256×784×128', m: 256, k: 784, n: 128, transA: false, transB: false },
  { name: 'Aᵀ·B 784×256·256×128', m: 784, k: 256, n: 128, transA: true, transB: false },
  { name: '1024³', m: 1024, k: 1024, n: 1024, transA: false, transB: false },
];

export function flops(s: { m: number; k: number; n: number }): number {
  return 2 * s.m * s.k * s.n;
}

export function randomOperands(s: MatmulShape): { a: Float32Array; b: Float32Array; c: Float32Array } {
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32 - 0.5;
  };
  return {
    a: Float32Array.from({ length: s.m * s.k }, next),
    b: Float32Array.from({ length: s.k * s.n }, next),
    c: new Float32Array(s.m * s.n),
  };
}
