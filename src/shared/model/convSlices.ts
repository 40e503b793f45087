// How the engine convolves a batch: a slice of samples at a time, with at most this many
// floats (512 KiB) of column matrix unless one sample alone needs more (engine/kernels/conv.ts
// COLS_SLICE_FLOATS; the engine imports nothing from the app, so the number is repeated here
// and a test holds the two equal). The cost estimate of a convolution reads it.
export const COLS_SLICE_FLOATS = 1 << 17;
