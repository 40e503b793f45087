// Places every setting's tooltip (`.has-help > .field-help`, shown by CSS while its field is
// pointed at or focused) inside the window: one listener for the whole page, installed once by
// the App. See lib/tooltipPlacement.ts for the rule.
import { useEffect } from 'react';
import { placeTooltip } from '../lib/tooltipPlacement';

function place(field: Element): void {
  const tip = field.querySelector<HTMLElement>(':scope > .field-help');
  if (!tip) return;
  const anchor = field.getBoundingClientRect();
  const viewport = { width: window.innerWidth, height: window.innerHeight };
  // Measured as it will show: as wide as its field (or the window allows), in the window.
  const width = Math.min(anchor.width, viewport.width - 16);
  Object.assign(tip.style, { position: 'fixed', right: 'auto', bottom: 'auto', width: `${width}px`, visibility: 'hidden', display: 'block' });
  const height = tip.offsetHeight;
  tip.style.visibility = '';
  tip.style.display = '';
  const box = placeTooltip({ left: anchor.left, top: anchor.top, width: anchor.width, height: anchor.height }, height, viewport, width);
  Object.assign(tip.style, { left: `${box.left}px`, top: `${box.top}px` });
  tip.dataset.placement = box.above ? 'above' : 'below';
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
