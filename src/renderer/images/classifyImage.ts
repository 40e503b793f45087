// The pipeline shared by dropped files and the draw pad: pixels → MNIST 28×28 → the model.
import { preprocessSteps, type PixelImage } from '../../shared/images/preprocess';
import { rememberPreprocessing } from '../state/insightStore';
import type { Classification, DigitrainApi } from '../../shared/contract';

export interface DigitResult {
  /** What the model saw: 28×28 values in [0, 1], ink = 1. */
  input: Float32Array;
  classification: Classification;
}

export async function classifyImage(api: DigitrainApi, image: PixelImage): Promise<DigitResult> {
  // The steps are kept for the preprocessing panel (issue 18), by the input they gave.
  const steps = preprocessSteps(image);
  rememberPreprocessing(image, steps);
  const input = steps.pixels;
  const classification = await api.classify(input);
  return { input, classification };
}
