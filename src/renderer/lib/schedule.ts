// When a throttled view may redraw next. Views that redraw at the same rate are
// given different phases, so each redraw gets a task of its own instead of all
// of them landing in one long task.

/**
 * The earliest time ≥ now, at least `intervalMs` after `lastFlush`, that lies on the
 * view's beat: `phaseMs` plus a whole number of intervals (all times in ms, page clock).
 */
export function nextFlushAt(now: number, lastFlush: number, intervalMs: number, phaseMs = 0): number {
  if (!(intervalMs > 0)) throw new RangeError(`interval must be positive, got ${intervalMs}`);
  const earliest = Math.max(now, lastFlush + intervalMs);
  const beats = Math.ceil((earliest - phaseMs) / intervalMs);
  return phaseMs + beats * intervalMs;
}
