// Marks a setting whose change waits for Reset (it defines a new network).
export function ResetBadge({ show }: { show: boolean }) {
  return show ? (
    <span className="badge badge-attention" data-testid="needs-reset">
      needs Reset
    </span>
  ) : null;
}
