// The last failed request or pushed error, until dismissed. A run that failed sends its reason
// twice, as an error event and in its status; the status line shows it (for as long as the
// status lasts), so it is not repeated here.
import { useActions, useUi } from '../hooks/useUi';

export function Notice() {
  const notice = useUi((s) => s.notice);
  const shownInStatus = useUi((s) => s.status === 'error' && s.error === s.notice);
  const actions = useActions();
  if (!notice || shownInStatus) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" className="notice-close" aria-label="Dismiss" onClick={actions.dismissNotice}>
        ×
      </button>
    </div>
  );
}
