// Issue 27, item 4: six to eight lessons, each under 120 words, each opening a view of the
// workspace and with checks that tick from the app's state (never by themselves on a fresh app).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/shared/contract';
import { LESSONS, lessonWords, type LessonFacts } from '../../src/renderer/lessons/lessons';

const fresh: LessonFacts = {
  status: 'idle', step: 0, config: defaultConfig(), draft: defaultConfig(), runOrigin: 'start', selectedDigit: false, selectedUnit: false,
  activations: 0, how: { forward: false, backward: false, update: false }, diverged: false, explained: false, galleryMistakes: false,
  runsCompared: 0, myDigits: 0, myDigitsMeasured: false, exported: false, openedAtStep: 0,
};

describe('the lessons', () => {
  it('are six to eight, with unique ids', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(6);
    expect(LESSONS.length).toBeLessThanOrEqual(8);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(LESSONS.length);
  });

  it.each(LESSONS.map((l) => [l.id, l] as const))('%s: under 120 words, opens a view, has checks none of which a fresh app meets', (_id, lesson) => {
    expect(lessonWords(lesson)).toBeLessThan(120);
    // lesson.view is typed as a workspace ViewId, so the compiler holds it to the views that exist.
    expect(lesson.view.length).toBeGreaterThan(0);
    expect(lesson.checks.length).toBeGreaterThan(0);
    for (const check of lesson.checks) expect(check.done(fresh, new Set()), check.id).toBe(false);
  });

  it('lesson 1 ticks from the step graph and a real step', () => {
    const [one] = LESSONS;
    const facts: LessonFacts = { ...fresh, how: { forward: true, backward: true, update: true }, step: 1 };
    expect(one.checks.every((c) => c.done(facts, new Set()))).toBe(true);
  });
});
