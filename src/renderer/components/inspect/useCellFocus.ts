// The confusion matrix's cells as one Tab stop (like the weight tiles): the arrow keys move
// between the cells that have images (skipping empty ones), Home and End go to the first and
// last, Enter or Space opens the cell in the gallery. Without it, up to a hundred cells would
// each be a Tab stop on the way past the matrix.
import { useState, type KeyboardEvent } from 'react';

const MOVES: Record<string, [number, number]> = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

export function useCellFocus(counts: readonly number[], size: number) {
  const [cursor, setCursor] = useState(0);
  const open = (i: number) => (counts[i] ?? 0) > 0;
  const first = counts.findIndex((c) => c > 0);
  const stop = open(cursor) ? cursor : first;

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    let next: number | null = null;
    const move = MOVES[event.key];
    if (move) {
      let r = Math.floor(stop / size) + move[0];
      let c = (stop % size) + move[1];
      while (r >= 0 && r < size && c >= 0 && c < size && !open(r * size + c)) {
        r += move[0];
        c += move[1];
      }
      if (r >= 0 && r < size && c >= 0 && c < size) next = r * size + c;
    } else if (event.key === 'Home') next = first;
    else if (event.key === 'End') next = counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0);
    if (next === null || next < 0 || !open(next)) return;
    event.preventDefault();
    setCursor(next);
    (event.currentTarget.querySelector(`[data-cell="${next}"]`) as HTMLElement | null)?.focus();
  };

  /** The tabIndex of cell i's button. */
  const tabIndexOf = (i: number) => (i === stop ? 0 : -1);
  return { onKeyDown, tabIndexOf, setCursor };
}
