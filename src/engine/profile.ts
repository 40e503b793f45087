// An opt-in timer for the ops of a training step (`npm run bench -- --profile ARCH`).
//
// Off by default: the recorder is null, and each instrumented op or kernel call pays one null
// check (`spanRecorder()?.begin(...)`), nothing per element. The bench installs a recorder
// around the steps it profiles; nothing else does. Spans nest (an op's backward holds the zero
// fill of its gradient buffer), and the recorder charges each span its exclusive time: what is
// left after its inner spans, so the spans of a step add up to at most the step's time.
//
// The names are a closed list, so the bench's table can map every one of them to a row.

export const PROFILE_SPANS = [
  /** Gathering and scaling a batch's pixels. */
  'batch',
  /** Convolution: the column matrix built for the forward pass, and again for the weight gradient. */
  'conv.im2col.forward',
  'conv.im2col.backward',
  /** The three products: Y' = W·cols, dW += G'·colsᵀ, dcols = Wᵀ·G'. */
  'conv.gemm.forward',
  'conv.gemm.weight',
  'conv.gemm.input',
  /** The input gradient's columns added back to their pixels. */
  'conv.col2im',
  /** [O, N·P] ↔ NCHW copies (the forward's with the bias added). */
  'conv.layout.forward',
  'conv.layout.backward',
  /** The bias gradient: sums over the batch and the positions. */
  'conv.bias',
  'maxpool.forward',
  'maxpool.backward',
  'avgpool.forward',
  'avgpool.backward',
  'relu.forward',
  'relu.backward',
  'dropout.forward',
  'dropout.backward',
  /** Linear (with an activation fused into its epilogue): the whole op, zero-column skipping included. */
  'linear.forward',
  'linear.backward',
  'loss.forward',
  'loss.backward',
  /** backward() itself: ordering the graph and handing out gradient buffers, and the backward of ops without a span of their own. */
  'autograd',
  /** The optimizer's update of every parameter (the bench marks it; the engine's optimizers do not). */
  'optimizer',
  /** Zeroing arena memory handed out as a zeroed array (gradient buffers that ops add into). */
  'zero',
  /** Operands copied into the WASM memory and results copied back (none when tensors live there). */
  'copy',
  /** The calling thread, its share of a pool task done, waiting for the workers to finish theirs (their time is not timed). */
  'pool.wait',
] as const;

export type ProfileSpan = (typeof PROFILE_SPANS)[number];

export interface SpanRecorder {
  /** `detail` tells calls of one span apart (a convolution's shape); callers build it only when a recorder is installed. */
  begin(span: ProfileSpan, detail?: string): void;
  /** Ends the innermost open span. */
  end(): void;
}

let recorder: SpanRecorder | null = null;

/** The installed recorder, or null (the default: nothing is timed). */
export function spanRecorder(): SpanRecorder | null {
  return recorder;
}

/** Installs a recorder (null: none); returns the one it replaces. */
export function setSpanRecorder(next: SpanRecorder | null): SpanRecorder | null {
  const previous = recorder;
  recorder = next;
  return previous;
}

/** Runs `fn` inside span `span` when a recorder is installed. For code that runs a few times per step, not per element. */
export function timed<T>(span: ProfileSpan, fn: () => T): T {
  const r = recorder;
  if (r === null) return fn();
  r.begin(span);
  try {
    return fn();
  } finally {
    r.end();
  }
}

const SPAN_INDEX = new Map<ProfileSpan, number>(PROFILE_SPANS.map((s, i) => [s, i]));

/** The detail of a convolution's spans: `C→O k kH×kW, H×W→oH×oW` (the bench matches it to the spec's layers). */
export function convDetail(c: number, o: number, kH: number, kW: number, h: number, w: number, oH: number, oW: number): string {
  return `${c}→${o} k${kH}×${kW}, ${h}×${w}→${oH}×${oW}`;
}

export interface SpanTotals {
  /** Exclusive milliseconds and calls per span (spans never begun are left out). */
  spans: Map<ProfileSpan, { ms: number; calls: number }>;
  /** The same for spans begun with a detail, by span and detail. */
  details: { span: ProfileSpan; detail: string; ms: number; calls: number }[];
}

/**
 * A recorder that adds up each span's exclusive milliseconds (its time less its inner spans').
 * `take()` answers the totals since the last take and starts afresh: one step's worth each.
 */
export class SpanTimer implements SpanRecorder {
  private readonly totals = new Float64Array(PROFILE_SPANS.length);
  private readonly counts = new Int32Array(PROFILE_SPANS.length);
  private readonly spans: number[] = [];
  private readonly starts: number[] = [];
  /** Time spent in finished inner spans, per open span. */
  private readonly inner: number[] = [];
  private readonly openDetails: (string | undefined)[] = [];
  private details = new Map<string, { span: ProfileSpan; detail: string; ms: number; calls: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  begin(span: ProfileSpan, detail?: string): void {
    this.spans.push(SPAN_INDEX.get(span)!);
    this.openDetails.push(detail);
    this.inner.push(0);
    this.starts.push(this.now());
  }

  end(): void {
    const end = this.now();
    const span = this.spans.pop();
    const start = this.starts.pop();
    const inner = this.inner.pop();
    const detail = this.openDetails.pop();
    if (span === undefined || start === undefined || inner === undefined) throw new Error('SpanTimer: end() without begin()');
    const elapsed = end - start;
    this.totals[span] += elapsed - inner;
    this.counts[span]++;
    if (detail !== undefined) {
      const key = `${span}\u0000${detail}`;
      let entry = this.details.get(key);
      if (!entry) this.details.set(key, (entry = { span: PROFILE_SPANS[span], detail, ms: 0, calls: 0 }));
      entry.ms += elapsed - inner;
      entry.calls++;
    }
    const depth = this.inner.length;
    if (depth > 0) this.inner[depth - 1] += elapsed;
  }

  /** What was recorded since the last take; starts afresh. */
  take(): SpanTotals {
    if (this.spans.length > 0) throw new Error(`SpanTimer: ${this.spans.length} span(s) still open`);
    const spans = new Map<ProfileSpan, { ms: number; calls: number }>();
    PROFILE_SPANS.forEach((span, i) => {
      if (this.counts[i] > 0) spans.set(span, { ms: this.totals[i], calls: this.counts[i] });
    });
    this.totals.fill(0);
    this.counts.fill(0);
    const details = [...this.details.values()];
    this.details = new Map();
    return { spans, details };
  }
}
