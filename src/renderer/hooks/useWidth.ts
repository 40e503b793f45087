// An element's content width, followed as the window resizes (to lay canvases out to fit).
import { useEffect, useState, type RefObject } from 'react';

export function useWidth(ref: RefObject<HTMLElement | null>, initial = 600): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => {
      const next = Math.floor(entry.contentRect.width);
      // Small changes (a scrollbar appearing) do not re-lay anything out.
      setWidth((old) => (Math.abs(old - next) >= 8 ? next : old));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
