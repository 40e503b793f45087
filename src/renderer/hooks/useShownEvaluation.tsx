// The test-set evaluation the panels show. The status line, the accuracy chart's heading, the
// sample digits and the confusion matrix all read it here, so figures shown at the same moment
// come from the same evaluation; each also says at which step it was taken (issue 13: 97.39%
// beside 97.35%, unlabelled). While training, when metrics arrive ~10 times a second, it moves
// on one beat (EVALUATION_INTERVAL_MS at EVALUATION_PHASE_MS) shared by all of them; when idle
// (a Stop, a loaded file) at once, as nothing else competes for the frame.
//
// One throttled value, in a provider at the top of the app, handed to every panel by context:
// with a throttle in each panel, each flushed on its own frame, and with evaluations every 50
// steps (20 a second) the header and the chart could show evaluations a beat apart (e2e
// learner.spec "bug 3": 3650 beside 4300).
import { createContext, useContext, type ReactNode } from 'react';
import type { Evaluation } from '../../shared/contract';
import { EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS, useThrottledUi } from './useThrottledUi';
import { useUi } from './useUi';

const ShownEvaluation = createContext<Evaluation | null>(null);

export function ShownEvaluationProvider({ children }: { children: ReactNode }) {
  const training = useUi((s) => s.status === 'training');
  // Null while training, so a new evaluation re-renders nothing until the beat.
  const live = useUi((s) => (s.status === 'training' ? null : s.lastEvaluation));
  const onBeat = useThrottledUi((s) => s.lastEvaluation, EVALUATION_INTERVAL_MS, EVALUATION_PHASE_MS);
  return <ShownEvaluation.Provider value={training ? onBeat : live}>{children}</ShownEvaluation.Provider>;
}

export function useShownEvaluation(): Evaluation | null {
  return useContext(ShownEvaluation);
}
