// The one rule for a panel's messages (issue 24: an export message stayed over 3 minutes; a
// "Load failed" box lay over the What-if sliders): news (saved, exported, reopened, imported)
// goes by itself after INFO_SHOWN_MS; a failure stays until dismissed. Every message box of the
// app is this component, in the flow of its panel (or of the strip under the status line), never
// over other controls.
import { useEffect, useEffectEvent } from 'react';

export interface Message {
  /** News (true) or a failure (false). */
  ok: boolean;
  text: string;
}

/** How long news stays (long enough to read a file name twice). */
export const INFO_SHOWN_MS = 15_000;

/** Calls `dismiss` once `message` has shown for INFO_SHOWN_MS, if it is news; a failure stays. */
export function useAutoDismiss(message: Message | null, dismiss: () => void, ms = INFO_SHOWN_MS): void {
  const onTimeout = useEffectEvent(dismiss);
  useEffect(() => {
    if (!message?.ok) return;
    const timer = setTimeout(() => onTimeout(), ms);
    return () => clearTimeout(timer);
  }, [message, ms]);
}

export function MessageBox({
  message,
  onDismiss,
  testId,
  className = '',
}: {
  message: Message | null;
  onDismiss: () => void;
  /** One test id, or one for news and one for a failure. */
  testId: string | { ok: string; error: string };
  className?: string;
}) {
  useAutoDismiss(message, onDismiss);
  if (!message) return null;
  const id = typeof testId === 'string' ? testId : message.ok ? testId.ok : testId.error;
  return (
    <div className={`message-box ${message.ok ? 'message-news' : 'message-error'} ${className}`} role={message.ok ? 'status' : 'alert'} data-testid={id} data-kind={message.ok ? 'news' : 'error'}>
      <span className="message-text">{message.text}</span>
      <button type="button" className="notice-close" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
