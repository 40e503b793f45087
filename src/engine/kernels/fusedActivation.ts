// Activations a Linear layer can apply in its own epilogue (fused: no separate pass, no stored
// pre-activation); the WASM kernels number them as ACTIVATION_CODE says. (The activation layers' own loops are in activations.ts.)

export type Activation = 'none' | 'relu';

export const ACTIVATION_CODE: Readonly<Record<Activation, number>> = { none: 0, relu: 1 };
