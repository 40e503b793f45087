// "It is not learning" (issue 25, point 4): a run that trains on while guessing. After Reset,
// SGD with lr 1 on the default model takes test accuracy to ~10 % (chance for ten digits) and
// the loss to ≈ 2.30 = ln 10, with most ReLU units dead; the page said "Training" in green and
// nothing else. Pure, so the page (the banner) and the tests judge a run the same way.
//
// Never on the first steps of a healthy run: every rule waits GRACE_STEPS, and the curve rules
// need the whole last STUCK_STEPS steps stuck (the curves' ~50-step moving averages).

/** Steps a run has to find its feet before anything is said. */
export const GRACE_STEPS = 200;
/** The smoothed curves must sit at chance this many steps in a row (after the grace). */
export const STUCK_STEPS = 100;
/** Accuracy within this of chance (1 / classes) is guessing. */
export const CHANCE_MARGIN = 0.05;
/** A loss within this of ln(classes) is the loss of a uniform guess. */
export const GUESS_LOSS_MARGIN = 0.05;
/** A ReLU layer with this share of dead units is mostly dead. */
export const MOSTLY_DEAD = 0.9;

export interface LearningSignals {
  classes: number;
  /** The curves' steps with their smoothed batch accuracy and loss. */
  steps: ArrayLike<number>;
  accuracyEma: ArrayLike<number>;
  lossEma: ArrayLike<number>;
  /** The latest test-set scoring. */
  test: { step: number; accuracy: number } | null;
  /** The ReLU layer with the largest share of dead units in the latest health sample. */
  dead: { layer: string; fraction: number; step: number } | null;
}

export interface NoLearning {
  /** The step it was judged at. */
  step: number;
  /** What shows it: the smoothed batch accuracy or loss, the test accuracy, the dead units. */
  accuracy: number | null;
  loss: number | null;
  testAccuracy: number | null;
  dead: { layer: string; fraction: number } | null;
}

function stuck(s: LearningSignals, i: number): boolean {
  const chance = 1 / s.classes;
  return s.accuracyEma[i] <= chance + CHANCE_MARGIN || Math.abs(s.lossEma[i] - Math.log(s.classes)) <= GUESS_LOSS_MARGIN;
}

/** Whether the run has stopped learning (see the top of the file), and what shows it; null while it learns. */
export function noLearning(s: LearningSignals): NoLearning | null {
  const n = s.steps.length;
  if (n === 0) return null;
  const last = s.steps[n - 1];
  if (last <= GRACE_STEPS) return null;
  const chance = 1 / s.classes;
  let curves = last - STUCK_STEPS >= GRACE_STEPS;
  for (let i = n - 1; curves && i >= 0 && s.steps[i] >= last - STUCK_STEPS; i--) if (!stuck(s, i)) curves = false;
  const test = s.test && s.test.step > GRACE_STEPS && s.test.accuracy <= chance + CHANCE_MARGIN ? s.test.accuracy : null;
  const dead = s.dead && s.dead.step > GRACE_STEPS && s.dead.fraction >= MOSTLY_DEAD ? { layer: s.dead.layer, fraction: s.dead.fraction } : null;
  if (!curves && test === null && dead === null) return null;
  return { step: last, accuracy: s.accuracyEma[n - 1], loss: s.lossEma[n - 1], testAccuracy: test, dead };
}

/** The most-dead ReLU layer of a health sample's layers (deadFraction is measured on ReLU layers only). */
export function mostDead(sample: { step: number; layers: { layer: string; deadFraction?: number }[] } | undefined): LearningSignals['dead'] {
  let found: LearningSignals['dead'] = null;
  for (const l of sample?.layers ?? []) {
    if (l.deadFraction !== undefined && (!found || l.deadFraction > found.fraction)) found = { layer: l.layer, fraction: l.deadFraction, step: sample!.step };
  }
  return found;
}
