// The open lesson: its goal, what to do, what to look at, and its checks, which tick themselves
// as the learner does them (lessonFacts.ts). It floats over the page's corner, out of the way of
// the panels it talks about; folded, it is one line (title and progress), so a small window shows
// the view behind it whole while the checks still tick.
import { useStore } from 'zustand';
import { uiStore } from '../state/store';
import { openView } from '../state/workspace';
import { LESSONS } from './lessons';
import { closeLesson, foldLesson, lessonsStore, openLesson } from './lessonsStore';

export function LessonCard() {
  const openId = useStore(lessonsStore, (s) => s.open);
  const ticked = useStore(lessonsStore, (s) => s.ticked);
  const folded = useStore(lessonsStore, (s) => s.folded);
  const index = LESSONS.findIndex((l) => l.id === openId);
  if (index < 0) return null;
  const lesson = LESSONS[index];
  const done = new Set(ticked[lesson.id] ?? []);
  const complete = lesson.checks.every((c) => done.has(c.id));
  const go = (i: number) => openLesson(LESSONS[i].id, uiStore.getState().step);
  return (
    <aside className={`lesson-card${folded ? ' lesson-card-folded' : ''}`} data-testid="lesson-card" data-lesson={lesson.id} data-folded={folded} aria-label={`Lesson ${index + 1}: ${lesson.title}`}>
      <header className="lesson-head">
        <h2>
          {index + 1}. {lesson.title}
        </h2>
        <span className="lesson-head-actions">
          {folded && (
            <span className="lesson-progress" data-testid="lesson-progress">
              {lesson.checks.filter((c) => done.has(c.id)).length} of {lesson.checks.length} {complete ? '✓' : ''}
            </span>
          )}
          <button
            type="button"
            className="lesson-close"
            data-testid="lesson-fold"
            aria-expanded={!folded}
            aria-label={folded ? 'Show the lesson' : 'Fold the lesson to one line'}
            title={folded ? 'Show the lesson' : 'Fold the lesson to one line'}
            onClick={() => foldLesson(!folded)}
          >
            {folded ? '▴' : '▾'}
          </button>
          <button type="button" className="lesson-close" data-testid="lesson-close" aria-label="Close the lesson" onClick={closeLesson}>
            ×
          </button>
        </span>
      </header>
      {!folded && (
        <>
          <p className="lesson-goal" data-testid="lesson-text">
            {lesson.goal}
          </p>
          <p data-testid="lesson-text">
            <strong>Do:</strong> {lesson.todo}
          </p>
          <p data-testid="lesson-text">
            <strong>Look at:</strong> {lesson.look}
          </p>
          <ul className="lesson-checks">
            {lesson.checks.map((check) => (
              <li key={check.id} data-testid="lesson-check" data-check={check.id} data-done={done.has(check.id)} className={done.has(check.id) ? 'lesson-check-done' : ''}>
                <span aria-hidden="true">{done.has(check.id) ? '✓' : '○'}</span> {check.label}
              </li>
            ))}
          </ul>
          {complete && (
            <p className="lesson-complete" data-testid="lesson-complete">
              Done. Well done.
            </p>
          )}
          <footer className="lesson-foot">
            <button type="button" className="lesson-link" onClick={() => openView(lesson.view)}>
              Show me where
            </button>
            <span>
              <button type="button" className="lesson-link" data-testid="lesson-prev" disabled={index === 0} onClick={() => go(index - 1)}>
                ◀ Previous
              </button>
              <button type="button" className="lesson-link" data-testid="lesson-next" disabled={index === LESSONS.length - 1} onClick={() => go(index + 1)}>
                Next ▶
              </button>
            </span>
          </footer>
        </>
      )}
    </aside>
  );
}
