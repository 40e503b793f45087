// The last failed request or pushed error, until dismissed.
import { useActions, useUi } from '../hooks/useUi';

export function Notice() {
  const notice = useUi((s) => s.notice);
  const actions = useActions();
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" className="notice-close" aria-label="Dismiss" onClick={actions.dismissNotice}>
        ×
      </button>
    </div>
  );
}
