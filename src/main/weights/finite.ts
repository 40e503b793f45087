// Weights files hold finite numbers only. Loading refuses NaN and ±Infinity (decode.ts), so
// saving them would produce a file nobody can use: after a diverged run the trainer keeps
// its last finite weights, and this is the check that makes sure of it before any write.

/** Index of the first NaN or ±Infinity, or -1. */
export function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

export function assertFiniteForSaving(what: string, data: Float32Array): void {
  const bad = firstNonFinite(data);
  if (bad >= 0) {
    throw new Error(`${what} holds ${data[bad]} at index ${bad}: values that are not finite cannot be saved (reset, or load a weights file)`);
  }
}
