// When the training worker scores the test set, and how the UI says so.
//
// A learner should see test accuracy, sample guesses and the confusion matrix within seconds
// of pressing Train, on any machine. Counting steps alone fails that: at 15 steps/s a
// thousand steps are a minute. So the first evaluation of a run comes early (after
// FIRST_EVAL_STEPS steps or FIRST_EVAL_MS of training, whichever comes first), and then
// every `evalEvery` steps or every EVAL_RHYTHM_MS of training, whichever comes first.
//
// Scoring the 10 000 test images costs about what a few hundred training steps do. On a busy
// machine, where that takes seconds, a wall-clock rhythm alone would spend most of the time
// evaluating; so the clock also waits EVAL_BUDGET_FACTOR times as long as the last evaluation
// took (evaluations then take at most a fifth of the time).
import { TRAIN_SETTINGS } from './trainSettings';

/** The first evaluation of a run after this many steps... */
export const FIRST_EVAL_STEPS = 100;
/** ...or this much training time, whichever comes first. */
export const FIRST_EVAL_MS = 3000;
/** Then at least this often (training time), besides every `evalEvery` steps. */
export const EVAL_RHYTHM_MS = 5000;
/** The wall-clock rhythm waits at least this many times the last evaluation's duration. */
export const EVAL_BUDGET_FACTOR = 4;

export interface RhythmState {
  /** The step just completed. */
  step: number;
  /** The configured interval in steps. */
  evalEvery: number;
  /** Whether this model has been scored at all since it was built or loaded. */
  evaluatedBefore: boolean;
  /** Training time (ms) since the later of the last evaluation and the last Train. */
  msSinceEvaluation: number;
  /** Steps taken since the later of the last evaluation and the last Train. */
  stepsSinceEvaluation: number;
  /** How long the last evaluation took (ms); 0 before the first. */
  lastEvaluationMs: number;
}

/** Whether the test set is due to be scored after this step. */
export function evaluationDue(s: RhythmState): boolean {
  if (s.step % s.evalEvery === 0) return true;
  if (!s.evaluatedBefore) return s.stepsSinceEvaluation >= FIRST_EVAL_STEPS || s.msSinceEvaluation >= FIRST_EVAL_MS;
  return s.msSinceEvaluation >= Math.max(EVAL_RHYTHM_MS, EVAL_BUDGET_FACTOR * s.lastEvaluationMs);
}

const seconds = (ms: number) => `${ms / 1000} s`;

/** What the panels that wait for an evaluation say before the first one: what will happen, and when. */
export function firstEvaluationText(evalEvery: number = TRAIN_SETTINGS.evalEvery.default): string {
  const first = Math.min(FIRST_EVAL_STEPS, evalEvery);
  return (
    `The test set is scored after the first ${first} steps (or ${seconds(FIRST_EVAL_MS)} of training), ` +
    `then every ${evalEvery.toLocaleString('en-US')} steps or ${seconds(EVAL_RHYTHM_MS)} of training, and when you press Stop.`
  );
}
