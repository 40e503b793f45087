// The workspace's tabs (issue 24), drawn from VIEWS: one view open at a time, filling the main
// area and scrolling inside it. Keyboard: the arrow keys (and Home/End) move between tabs inside
// the tab list, as ARIA's tabs pattern does it; anywhere outside a text field, a view's digit
// key opens it.
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { openView, useOpenView, VIEWS, type ViewId } from '../../state/workspace';
import { VIEW_COMPONENTS } from './views';

const tabId = (id: ViewId) => `view-tab-${id}`;
const panelId = (id: ViewId) => `view-panel-${id}`;

/** Whether a key press belongs to the field it was typed in (the shortcuts leave those alone). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'range', 'file'].includes(target.type);
}

/** The digit keys that open views, anywhere on the page. */
export function useViewShortcuts(): void {
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const view = VIEWS.find((v) => v.key === event.key);
      if (!view) return;
      event.preventDefault();
      openView(view.id);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export function ViewTabs() {
  const open = useOpenView();
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = VIEWS.findIndex((v) => v.id === open);
    const moves: Record<string, number> = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: VIEWS.length - 1 };
    if (!(event.key in moves)) return;
    event.preventDefault();
    const next = VIEWS[(moves[event.key] + VIEWS.length) % VIEWS.length];
    openView(next.id);
    list.current?.querySelector<HTMLButtonElement>(`#${tabId(next.id)}`)?.focus();
  };

  return (
    <div className="view-tabs" role="tablist" aria-label="Views" ref={list} onKeyDown={onKeyDown} data-testid="view-tabs">
      {VIEWS.map((v) => (
        <button
          key={v.id}
          type="button"
          role="tab"
          id={tabId(v.id)}
          aria-selected={v.id === open}
          aria-controls={panelId(v.id)}
          aria-keyshortcuts={v.key}
          tabIndex={v.id === open ? 0 : -1}
          className="view-tab"
          data-view={v.id}
          title={`${v.label} (key ${v.key})`}
          onClick={() => openView(v.id)}
        >
          {v.label}
          <kbd className="view-key" aria-hidden="true">
            {v.key}
          </kbd>
        </button>
      ))}
    </div>
  );
}

/**
 * The open view: only it is mounted, so hidden views cost nothing while training. The exception
 * is Try it, kept mounted (hidden) under the others: its images can be dropped anywhere on the
 * window, and what was drawn or dropped is still there when the learner comes back to it.
 */
export function ViewPanel() {
  const open = useOpenView();
  const View = VIEW_COMPONENTS[open];
  const Try = VIEW_COMPONENTS.try;
  const panel = useRef<HTMLDivElement>(null);
  // One scrolling box for every view: another view starts at its top, not where the last one was left.
  useLayoutEffect(() => {
    if (panel.current) panel.current.scrollTop = 0;
  }, [open]);
  return (
    <div ref={panel} className={`view view-${open}`} role="tabpanel" id={panelId(open)} aria-labelledby={tabId(open)} data-testid="view-panel" data-view={open} tabIndex={-1}>
      {open !== 'try' && <View />}
      <div className="view-kept" hidden={open !== 'try'}>
        <Try />
      </div>
    </div>
  );
}
