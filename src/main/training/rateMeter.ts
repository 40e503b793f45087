// Samples per second as the user gets them: examples trained over the last few seconds of
// wall time, pauses included. Timing only the steps themselves overstates it on a busy
// machine, where the thread waits for a core between steps: a burst of fast steps after a
// long wait then reads as the machine's idle speed (issue 13: 11.8k shown, ~420 run).

/** The rate is taken over about this much wall time. */
export const RATE_WINDOW_MS = 3000;

interface Mark {
  at: number;
  samples: number;
}

export class RateMeter {
  private marks: Mark[] = [];
  private samples = 0;

  constructor(private readonly windowMs = RATE_WINDOW_MS) {}

  /** Starts measuring at `now` (Train): time before it, while idle, does not count. */
  start(now: number): void {
    this.marks = [{ at: now, samples: this.samples }];
  }

  add(samples: number): void {
    this.samples += samples;
  }

  /** Samples per second from the oldest mark within the window (or just before it) to `now`. */
  rate(now: number): number {
    this.marks.push({ at: now, samples: this.samples });
    // Keep one mark at or before the window's start, so the window is always covered.
    while (this.marks.length > 2 && this.marks[1].at <= now - this.windowMs) this.marks.shift();
    const first = this.marks[0];
    const elapsed = now - first.at;
    return elapsed > 0 ? ((this.samples - first.samples) * 1000) / elapsed : 0;
  }
}
