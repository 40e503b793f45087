// A "?" that opens a short explanation of the idea behind what is on the screen: a
// disclosure (the button says whether it is open), not a modal. It closes with Escape (focus
// stays on the "?"), a click elsewhere, or the "?" again. Any panel, field or line can carry
// one: <Explain title="Loss">…</Explain>; texts live with their topic (explanations.tsx).
import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { TOOLTIP_EDGE } from '../../lib/tooltipPlacement';
import { placeInWindow } from '../../hooks/useTooltipPlacement';
import './explain.css';

export interface ExplainProps {
  /** What is explained, for the button's label (Explain “…”) and the box's heading. */
  title: string;
  children: ReactNode;
  testId?: string;
}

/** The box's width where the window has room for it (px). */
const BOX_WIDTH = 380;

/**
 * Puts the open box in the window (position: fixed) under its "?" (or above it, or where it
 * shows the most), never past the window's edges: an explanation in the settings rail or a
 * scrolled view is not cut by that box's edges. The rule is the settings tooltips' one.
 */
function placeBox(button: HTMLElement, box: HTMLElement): void {
  const anchor = button.getBoundingClientRect();
  // The box starts a little left of its "?", as a label's text does.
  placeInWindow(box, { left: anchor.left - TOOLTIP_EDGE, top: anchor.top, width: anchor.width, height: anchor.height }, BOX_WIDTH);
}

export function Explain({ title, children, testId }: ExplainProps) {
  const [open, setOpen] = useState(false);
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

  // Placed before it is painted, and again when the page under it scrolls or the window changes size.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      if (button.current && box.current) placeBox(button.current, box.current);
    };
    place();
    document.addEventListener('scroll', place, true);
    window.addEventListener('resize', place);
    return () => {
      document.removeEventListener('scroll', place, true);
      window.removeEventListener('resize', place);
    };
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
        <div ref={box} id={id} className="explain-box" role="region" aria-label={title}>
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
