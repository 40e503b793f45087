// Matmul kernels: raw loops over Float32Array, no autograd, no shape objects.
//
// C[m×n] = op(A) · op(B) where
//   transA = false: A is stored [m, k];  transA = true: A is stored [k, m] (we use Aᵀ)
//   transB = false: B is stored [k, n];  transB = true: B is stored [n, k] (we use Bᵀ)
// The backward pass needs A·B, Aᵀ·B and A·Bᵀ; none of them materialises a transpose.
//
// `matmulInto` is what ops call. It dispatches to the active backend (`enableParallel`
// installs the worker pool, with its WASM kernel, through `setMatmulBackend`);
// `matmulReference` is the plain TypeScript kernel, kept as the fallback and as the
// reference in tests.

export interface MatmulArgs {
  a: Float32Array;
  b: Float32Array;
  /** Output, length m*n. Overwritten unless `accumulate`. */
  c: Float32Array;
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** Add into c instead of overwriting it. */
  accumulate?: boolean;
}

export type MatmulKernel = (args: MatmulArgs) => void;

export function matmulReference(args: MatmulArgs): void {
  const { a, b, c, m, k, n, transA, transB } = args;
  if (!args.accumulate) c.fill(0, 0, m * n);
  if (!transB) {
    // i-p-j order: the inner loop streams a row of B and a row of C.
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        if (av === 0) continue;
        const bRow = p * n;
        for (let j = 0; j < n; j++) c[cRow + j] += av * b[bRow + j];
      }
    }
  } else {
    // B stored [n, k]: each C element is a dot product of two contiguous rows (when !transA).
    for (let i = 0; i < m; i++) {
      const cRow = i * n;
      for (let j = 0; j < n; j++) {
        const bRow = j * k;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[p * m + i] * b[bRow + p];
        else {
          const aRow = i * k;
          for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        }
        c[cRow + j] += s;
      }
    }
  }
}

let backend: MatmulKernel = matmulReference;

/** Install a faster kernel (worker pool, WASM). Passing null restores the reference kernel. */
export function setMatmulBackend(kernel: MatmulKernel | null): void {
  backend = kernel ?? matmulReference;
}

export function getMatmulBackend(): MatmulKernel {
  return backend;
}

export function matmulInto(args: MatmulArgs): void {
  backend(args);
}
