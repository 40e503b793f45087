// Activations a Linear layer can apply in its own epilogue (fused: no separate pass, no
// stored pre-activation). The WASM kernels number them as ACTIVATION_CODE says.

export type Activation = 'none' | 'relu';

export const ACTIVATION_CODE: Readonly<Record<Activation, number>> = { none: 0, relu: 1 };
