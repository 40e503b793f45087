// A "?" that opens a short explanation of the idea behind what is on the screen: a
// disclosure (the button says whether it is open), not a modal. It closes with Escape (focus
// stays on the "?"), a click elsewhere, or the "?" again. Any panel, field or line can carry
// one: <Explain title="Loss">…</Explain>; texts live with their topic (explanations.tsx).
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import './explain.css';

export interface ExplainProps {
  /** What is explained, for the button's label ("What is … ?") and the box's heading. */
  title: string;
  children: ReactNode;
  testId?: string;
}

/** Keep the box this far from the window's edges. */
const EDGE = 8;

export function Explain({ title, children, testId }: ExplainProps) {
  const [open, setOpen] = useState(false);
  const [shift, setShift] = useState(0);
  const id = useId();
  const button = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!box.current?.contains(target) && !button.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  // Opened near the right edge, the box moves left so all of it shows; near the bottom, the page scrolls to it.
  useLayoutEffect(() => {
    if (!open || !box.current) return;
    const rect = box.current.getBoundingClientRect();
    // (measured with the shift now applied, which the updater is handed)
    setShift((shift) => {
      const over = rect.right - shift - (window.innerWidth - EDGE);
      return over > 0 ? Math.min(over, rect.left - shift - EDGE) : 0;
    });
    if (rect.bottom > window.innerHeight) box.current.scrollIntoView({ block: 'nearest' });
  }, [open]);

  return (
    <span className="explain">
      <button
        ref={button}
        type="button"
        className="explain-button"
        aria-label={`Explain “${title}”`}
        aria-expanded={open}
        aria-controls={id}
        title={`Explain “${title}”`}
        data-testid={testId}
        onClick={() => setOpen((o) => !o)}
      >
        ?
      </button>
      {open && (
        <div ref={box} id={id} className="explain-box" role="region" aria-label={title} style={shift ? { transform: `translateX(${-shift}px)` } : undefined}>
          <div className="explain-head">
            <strong>{title}</strong>
            <button type="button" className="explain-close" aria-label="Close" onClick={() => setOpen(false)}>
              ×
            </button>
          </div>
          {children}
        </div>
      )}
    </span>
  );
}
