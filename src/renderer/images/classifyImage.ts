// The pipeline shared by dropped files and the draw pad: pixels → MNIST 28×28 → the model.
import { preprocessDigit, type PixelImage } from '../../shared/images/preprocess';
import type { Classification, DigitrainApi } from '../../shared/contract';

export interface DigitResult {
  /** What the model saw: 28×28 values in [0, 1], ink = 1. */
  input: Float32Array;
  classification: Classification;
}

export async function classifyImage(api: DigitrainApi, image: PixelImage): Promise<DigitResult> {
  const input = preprocessDigit(image);
  const classification = await api.classify(input);
  return { input, classification };
}
