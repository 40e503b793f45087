// The requests of issue 18's "look inside" panels (DigitrainApi extends this).
import type { Explanation } from './explain';
import type { HealthHistoryView } from './health';

export interface InsightApi {
  /** Why the live model answers what it does for these 784 pixels in [0, 1]: saliency and contributions. */
  explain(pixels: Float32Array): Promise<Explanation>;
  /** The run's training health so far (the `health` events carry what follows). */
  getHealth(): Promise<HealthHistoryView>;
}
