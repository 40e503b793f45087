// "at step 16,000 (1,278 steps ago)": which evaluation a panel shows, beside the live step count,
// so a learner sees why the samples' step is not the header's.
import { useUi } from '../hooks/useUi';
import { formatInt } from '../lib/format';

export function EvaluationAge({ step, testId, bare = false }: { step: number; testId: string; bare?: boolean }) {
  const now = useUi((s) => s.step);
  const behind = now - step;
  const text = `test at step ${formatInt(step)}${behind > 0 ? ` (${formatInt(behind)} steps ago)` : ''}`;
  return bare ? (
    <span data-testid={testId} data-step={step}>
      {text}
    </span>
  ) : (
    <span className="panel-value panel-value-lead" data-testid={testId} data-step={step}>
      {text}
    </span>
  );
}
