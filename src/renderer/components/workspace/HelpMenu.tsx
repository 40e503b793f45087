// The top bar's Help menu: the getting-started guide again, the How it works view, and the
// keyboard shortcuts of the views (from VIEWS). Escape or a click elsewhere closes it.
import { useEffect, useRef } from 'react';
import { openView, VIEWS } from '../../state/workspace';
import { reopenGuide } from '../FirstRunGuide';

export function HelpMenu() {
  const menu = useRef<HTMLDetailsElement>(null);
  const summary = useRef<HTMLElement>(null);

  useEffect(() => {
    const close = (event: Event) => {
      const details = menu.current;
      if (!details?.open) return;
      if (event instanceof KeyboardEvent) {
        if (event.key !== 'Escape') return;
        details.open = false;
        summary.current?.focus();
      } else if (!details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, []);

  const choose = (action: () => void) => {
    if (menu.current) menu.current.open = false;
    action();
  };

  return (
    <details ref={menu} className="help-menu">
      <summary ref={summary} className="btn" data-testid="help-menu">
        Help
      </summary>
      <div className="help-items" role="menu">
        <button type="button" role="menuitem" data-testid="help-guide" onClick={() => choose(reopenGuide)}>
          Show the getting-started guide
        </button>
        <button type="button" role="menuitem" data-testid="help-how" onClick={() => choose(() => openView('how'))}>
          How it works
        </button>
        <div className="help-keys" role="note" aria-label="Keyboard shortcuts">
          <strong>Views</strong>: {VIEWS.map((v) => `${v.key} ${v.label}`).join(' · ')}. In the tabs, the arrow keys move between views.
        </div>
      </div>
    </details>
  );
}
