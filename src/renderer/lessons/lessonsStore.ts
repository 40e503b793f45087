// The lessons' progress: which checks have ticked (kept across restarts in localStorage), which
// lesson is open, and the step count when each was first opened (lesson 1 asks for a real step
// after that). A check ticks once and stays ticked; a lesson is done when all its checks are.
import { createStore } from 'zustand/vanilla';
import { openView } from '../state/workspace';
import { LESSONS, type LessonFacts } from './lessons';

const STORAGE_KEY = 'digitrain.lessons';

interface Saved {
  ticked: Record<string, string[]>;
  openedAtStep: Record<string, number>;
}

export interface LessonsState extends Saved {
  /** The lesson shown in the lesson card, or null. */
  open: string | null;
  /** Something the app did that no store keeps: the model exported for PyTorch. */
  exported: boolean;
  /** The card folded to its title and progress, so the view behind it shows whole (a small window). */
  folded: boolean;
}

function load(): Saved {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    if (parsed && typeof parsed === 'object') {
      const { ticked, openedAtStep } = parsed as Partial<Saved>;
      return { ticked: ticked && typeof ticked === 'object' ? ticked : {}, openedAtStep: openedAtStep && typeof openedAtStep === 'object' ? openedAtStep : {} };
    }
  } catch {
    // Unreadable progress starts afresh rather than breaking the page.
  }
  return { ticked: {}, openedAtStep: {} };
}

export const lessonsStore = createStore<LessonsState>(() => ({ ...load(), open: null, exported: false, folded: false }));

function save(): void {
  const { ticked, openedAtStep } = lessonsStore.getState();
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify({ ticked, openedAtStep }));
  } catch {
    // A storage that refuses only loses the progress across restarts.
  }
}

/** Opens a lesson (and the view it talks about); the first time, remembers the step it was opened at. */
export function openLesson(id: string, step: number): void {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) return;
  const { openedAtStep } = lessonsStore.getState();
  lessonsStore.setState({ open: id, openedAtStep: id in openedAtStep ? openedAtStep : { ...openedAtStep, [id]: step } });
  save();
  openView(lesson.view);
}

export function closeLesson(): void {
  lessonsStore.setState({ open: null });
}

/** Folds the card to one line (its title and how many checks have ticked), or unfolds it. */
export function foldLesson(folded: boolean): void {
  lessonsStore.setState({ folded });
}

export function noteExported(): void {
  if (!lessonsStore.getState().exported) lessonsStore.setState({ exported: true });
}

/** Ticks every check now true, of the lessons opened so far; never unticks. */
export function tickChecks(facts: Omit<LessonFacts, 'openedAtStep'>): void {
  const { ticked, openedAtStep } = lessonsStore.getState();
  let next: Record<string, string[]> | null = null;
  for (const lesson of LESSONS) {
    if (!(lesson.id in openedAtStep)) continue;
    const done = new Set(ticked[lesson.id] ?? []);
    const before = done.size;
    for (const check of lesson.checks) {
      if (!done.has(check.id) && check.done({ ...facts, openedAtStep: openedAtStep[lesson.id] }, done)) done.add(check.id);
    }
    if (done.size !== before) {
      next ??= { ...ticked };
      next[lesson.id] = [...done];
    }
  }
  if (next) {
    lessonsStore.setState({ ticked: next });
    save();
  }
}

/** Forgets all progress (for a fresh start). */
export function resetLessons(): void {
  lessonsStore.setState({ ticked: {}, openedAtStep: {}, open: null });
  save();
}
