// Three steps for a first visit: press Train, watch the curves and the tiles, draw or drop a
// digit. Each ticks itself off as the learner does it; "Got it" hides the guide for good (it
// remembers in the browser's storage, per app origin, so a reload does not bring it back); the
// Help menu brings it back. A step once done stays ticked: a Reset (step 0 again) or picking a
// test sample after drawing does not undo what the learner did.
import { useEffect } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useUi } from '../hooks/useUi';

export const GUIDE_DISMISSED_KEY = 'digitrain.firstRunGuide.dismissed';

function dismissedBefore(): boolean {
  try {
    return window.localStorage.getItem(GUIDE_DISMISSED_KEY) === '1';
  } catch {
    return false; // storage unavailable: show it, and let "Got it" hide it for this page
  }
}

/** Whether the guide shows, and which steps the learner has done (latched: they never untick). */
const guide = createStore<{ hidden: boolean; done: [boolean, boolean, boolean] }>(() => ({ hidden: dismissedBefore(), done: [false, false, false] }));

/** Shows the guide again (the Help menu); its ticks stay as they were. */
export function reopenGuide(): void {
  try {
    window.localStorage.removeItem(GUIDE_DISMISSED_KEY);
  } catch {
    // Shown for this page all the same.
  }
  guide.setState({ hidden: false });
}

function useLatched(index: 0 | 1 | 2, now: boolean): boolean {
  const done = useStore(guide, (s) => s.done[index]);
  useEffect(() => {
    if (now && !done) guide.setState((s) => ({ done: s.done.map((d, i) => d || i === index) as [boolean, boolean, boolean] }));
  }, [now, done, index]);
  return done || now;
}

function Step({ n, done, title, children }: { n: number; done: boolean; title: string; children: React.ReactNode }) {
  return (
    <li className={done ? 'guide-step guide-step-done' : 'guide-step'} data-testid={`guide-step-${n}`} data-done={done}>
      <span className="guide-number" aria-hidden="true">
        {done ? '✓' : n}
      </span>
      <span>
        <strong>{title}</strong>
        <span className="guide-text">{children}</span>
        {done && <span className="visually-hidden"> (done)</span>}
      </span>
    </li>
  );
}

export function FirstRunGuide() {
  const hidden = useStore(guide, (s) => s.hidden);
  const trained = useLatched(
    0,
    useUi((s) => s.step > 0 || s.status === 'training'),
  );
  const watched = useLatched(
    1,
    useUi((s) => s.lastEvaluation !== null && s.step >= 100),
  );
  const tried = useLatched(
    2,
    useUi((s) => s.selected !== null && s.selected.label === null),
  );
  if (hidden) return null;

  const dismiss = () => {
    try {
      window.localStorage.setItem(GUIDE_DISMISSED_KEY, '1');
    } catch {
      // Not remembered; hidden for this page all the same.
    }
    guide.setState({ hidden: true });
  };

  return (
    <section className="guide" aria-label="Getting started" data-testid="first-run-guide">
      <ol className="guide-steps">
        <Step n={1} done={trained} title="Press Train">
          The network starts from random weights and learns from batches of digits.
        </Step>
        <Step n={2} done={watched} title="Watch the curves and the tiles">
          The loss falls, accuracy climbs, the weights turn from noise into strokes.
        </Step>
        <Step n={3} done={tried} title="Draw or drop a digit">
          Open Try it (key 6), draw one or drop a picture, and see what the network answers.
        </Step>
      </ol>
      <button type="button" className="btn-quiet" data-testid="guide-dismiss" onClick={dismiss}>
        Got it
      </button>
    </section>
  );
}
