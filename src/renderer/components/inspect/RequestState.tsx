// Beside an inspection panel's loading state (issue 24): a Cancel for its long request (a pass
// over the test set, 67–84 s seen on a busy machine while training), and after a cancel, what
// happened and how to ask again. The same Cancel is in the busy list under the top bar.
export function RequestState({ loading, cancelled, onCancel, onRetry, testId }: { loading: boolean; cancelled: boolean; onCancel: () => void; onRetry: () => void; testId: string }) {
  if (loading)
    return (
      <button type="button" className="link-btn" data-testid={`${testId}-cancel`} title="Call it off: the trainer drops the request, or stops it at its next checkpoint" onClick={onCancel}>
        cancel
      </button>
    );
  if (!cancelled) return null;
  return (
    <span className="panel-value request-cancelled" data-testid={`${testId}-cancelled`}>
      cancelled: the trainer dropped it ·{' '}
      <button type="button" className="link-btn" data-testid={`${testId}-retry`} onClick={onRetry}>
        ask again
      </button>
    </span>
  );
}
