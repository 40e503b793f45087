// Losses, as torch.nn.functional (mean reduction). The fused kernels live in ops/loss.ts.
export { crossEntropy, nllLoss, type Targets } from '../ops/loss';
