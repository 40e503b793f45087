// Help ▸ Lessons: the guided lessons, each with its progress; choosing one opens it (and the view
// it talks about) in the lesson card. Any lesson can be opened again.
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { uiStore } from '../state/store';
import { LessonCard } from './LessonCard';
import { watchLessons } from './lessonFacts';
import { LESSONS } from './lessons';
import { lessonsStore, openLesson } from './lessonsStore';
import './lessons.css';

let watching = false;

export function LessonsMenu() {
  const ticked = useStore(lessonsStore, (s) => s.ticked);
  const menu = useRef<HTMLDetailsElement | null>(null);
  useEffect(() => {
    if (watching) return;
    watching = true;
    watchLessons();
  }, []);
  const choose = (id: string) => {
    if (menu.current) menu.current.open = false;
    openLesson(id, uiStore.getState().step);
  };
  return (
    <div className="lessons-menu">
      <details ref={menu} className="lessons-dropdown">
        <summary className="btn" data-testid="lessons-menu">
          <span aria-hidden="true">?</span> Lessons
        </summary>
        <ol className="lessons-items" role="menu">
          {LESSONS.map((lesson, i) => {
            const done = (ticked[lesson.id] ?? []).length;
            const all = lesson.checks.length;
            return (
              <li key={lesson.id}>
                <button type="button" role="menuitem" data-testid="lesson-item" data-lesson={lesson.id} data-done={done === all} onClick={() => choose(lesson.id)}>
                  <span className="lessons-number">{i + 1}</span>
                  <span className="lessons-title">{lesson.title}</span>
                  <span className={`lessons-progress${done === all ? ' lessons-complete' : ''}`}>{done === all ? '✓' : `${done}/${all}`}</span>
                </button>
              </li>
            );
          })}
        </ol>
      </details>
      <LessonCard />
    </div>
  );
}
