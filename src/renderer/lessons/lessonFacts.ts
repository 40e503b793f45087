// The app's state as the lessons' checks read it, gathered from the stores, and the watcher that
// ticks checks whenever one of them changes.
import { howItWorksStore } from '../state/howItWorksStore';
import { insightStore } from '../state/insightStore';
import { inspectStore } from '../state/inspectStore';
import { myDigitsStore } from '../state/myDigitsStore';
import { runsStore } from '../state/runsStore';
import { uiStore } from '../state/store';
import type { LessonFacts } from './lessons';
import { lessonsStore, tickChecks } from './lessonsStore';

export function lessonFacts(): Omit<LessonFacts, 'openedAtStep'> {
  const ui = uiStore.getState();
  const filter = inspectStore.getState().gallery.query.filter;
  const gallery = inspectStore.getState().gallery;
  const insight = insightStore.getState();
  const myDigits = myDigitsStore.getState();
  return {
    status: ui.status,
    step: ui.step,
    config: ui.config,
    draft: ui.draft,
    runOrigin: ui.run.origin,
    selectedDigit: ui.selected !== null,
    selectedUnit: ui.selectedUnit !== null || inspectStore.getState().unit.target !== null,
    activations: ui.classification?.activations.length ?? 0,
    how: howItWorksStore.getState().seen,
    diverged: insight.health.diverged !== null,
    explained: insight.explanation !== null,
    galleryMistakes: gallery.open && filter.label !== null && filter.predicted !== null && filter.label !== filter.predicted,
    runsCompared: runsStore.getState().selected.length,
    myDigits: myDigits.set?.digits.length ?? 0,
    myDigitsMeasured: myDigits.result !== null,
    exported: lessonsStore.getState().exported,
  };
}

/** Watches the stores and ticks the checks; returns the function that stops watching. */
export function watchLessons(): () => void {
  const check = (): void => tickChecks(lessonFacts());
  const stores = [uiStore, howItWorksStore, insightStore, inspectStore, runsStore, myDigitsStore];
  const stops = stores.map((s) => (s as { subscribe(listener: () => void): () => void }).subscribe(check));
  // Opening a lesson may find its checks already true (only the lesson store changed).
  let lastOpen = lessonsStore.getState().openedAtStep;
  stops.push(
    lessonsStore.subscribe((state) => {
      if (state.openedAtStep !== lastOpen || state.exported) {
        lastOpen = state.openedAtStep;
        check();
      }
    }),
  );
  check();
  return () => stops.forEach((stop) => stop());
}
