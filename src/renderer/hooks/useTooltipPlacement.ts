// Places every setting's tooltip (`.has-help > .field-help`, shown by CSS while its field is
// pointed at or focused) inside the window: one listener for the whole page, installed once by
// the App. See lib/tooltipPlacement.ts for the rule.
import { useEffect } from 'react';
import { placeTooltip, TOOLTIP_EDGE, type Box } from '../lib/tooltipPlacement';

/**
 * Puts `tip` (position: fixed, and showing) where lib/tooltipPlacement.ts says for `anchor`,
 * `width` wide (or as wide as the window allows): measured at that width, then placed. The
 * settings' tooltips and the "?" explanations (Explain.tsx) both go through here.
 */
export function placeInWindow(tip: HTMLElement, anchor: Box, width: number): void {
  const viewport = { width: window.innerWidth, height: window.innerHeight };
  const w = Math.min(width, viewport.width - 2 * TOOLTIP_EDGE);
  tip.style.width = `${w}px`;
  const box = placeTooltip(anchor, tip.offsetHeight, viewport, w);
  Object.assign(tip.style, { left: `${box.left}px`, top: `${box.top}px` });
  tip.dataset.placement = box.above ? 'above' : 'below';
}

function place(field: Element): void {
  const tip = field.querySelector<HTMLElement>(':scope > .field-help');
  if (!tip) return;
  const anchor = field.getBoundingClientRect();
  // Measured as it will show (CSS shows it only while its field is pointed at or focused): as wide as its field, in the window.
  Object.assign(tip.style, { position: 'fixed', right: 'auto', bottom: 'auto', visibility: 'hidden', display: 'block' });
  placeInWindow(tip, { left: anchor.left, top: anchor.top, width: anchor.width, height: anchor.height }, anchor.width);
  tip.style.visibility = '';
  tip.style.display = '';
}

function placeFor(target: EventTarget | null): void {
  const field = target instanceof Element ? target.closest('.has-help') : null;
  if (field) place(field);
}

export function useTooltipPlacement(): void {
  useEffect(() => {
    const onPoint = (event: Event) => placeFor(event.target);
    // A scrolled rail or view moves the field under a tooltip that is showing.
    const onScroll = () => document.querySelectorAll('.has-help:hover, .has-help:focus-within').forEach(place);
    document.addEventListener('pointerover', onPoint);
    document.addEventListener('focusin', onPoint);
    document.addEventListener('scroll', onScroll, true);
    window.addEventListener('resize', onScroll);
    return () => {
      document.removeEventListener('pointerover', onPoint);
      document.removeEventListener('focusin', onPoint);
      document.removeEventListener('scroll', onScroll, true);
      window.removeEventListener('resize', onScroll);
    };
  }, []);
}
