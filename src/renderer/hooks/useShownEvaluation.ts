// The test-set evaluation the panels show. The status line, the accuracy chart's heading, the
// sample digits and the confusion matrix all read it here, so figures shown at the same moment
// come from the same evaluation; each also says at which step it was taken (issue 13: 97.39%
// beside 97.35%, unlabelled). While training, when metrics arrive ~20 times a second, it moves
// on one beat (EVALUATION_INTERVAL_MS at EVALUATION_PHASE_MS) shared by all of them; when idle
// (a Stop, a loaded file) at once, as nothing else competes for the frame.
import type { Evaluation } from '../../shared/contract';
import { EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS, useThrottledUi } from './useThrottledUi';
import { useUi } from './useUi';

export function useShownEvaluation(): Evaluation | null {
  const training = useUi((s) => s.status === 'training');
  // Null while training, so a new evaluation re-renders nothing until the beat.
  const live = useUi((s) => (s.status === 'training' ? null : s.lastEvaluation));
  const onBeat = useThrottledUi((s) => s.lastEvaluation, EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS);
  return training ? onBeat : live;
}
