// The test-set evaluation the panels show. The status line, the accuracy chart's heading, the
// sample digits and the confusion matrix all read it here, on one beat (EVALUATION_INTERVAL_MS
// at EVALUATION_PHASE_MS), so figures shown at the same moment come from the same evaluation;
// each also says at which step it was taken (issue 13: 97.39% beside 97.35%, unlabelled).
import type { Evaluation } from '../../shared/contract';
import { EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS, useThrottledUi } from './useThrottledUi';

export function useShownEvaluation(): Evaluation | null {
  return useThrottledUi((s) => s.lastEvaluation, EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS);
}
