// The training progress display on stderr: a redrawn bar on a terminal (at most 10 redraws
// a second, so drawing never slows training), plain lines every few seconds otherwise (logs,
// CI, pipes), where carriage returns would make a mess.

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface StepReport {
  step: number;
  loss: number;
  /** Batch accuracy in [0, 1]. */
  accuracy: number;
}

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 5000;
/** Smoothing of the displayed loss and accuracy: a single batch of 32 is noisy. */
const SMOOTHING = 0.98;

export class ProgressBar {
  private readonly interactive: boolean;
  private lastDraw = -Infinity;
  private lastStep = 0;
  private lastStepTime: number;
  private samplesPerSecond = 0;
  private loss = NaN;
  private accuracy = NaN;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream,
    private readonly totalSteps: number,
    private readonly batchSize: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.interactive = stream.isTTY === true;
    this.lastStepTime = now();
  }

  update(report: StepReport): void {
    this.loss = Number.isNaN(this.loss) ? report.loss : SMOOTHING * this.loss + (1 - SMOOTHING) * report.loss;
    this.accuracy = Number.isNaN(this.accuracy) ? report.accuracy : SMOOTHING * this.accuracy + (1 - SMOOTHING) * report.accuracy;
    const time = this.now();
    const interval = this.interactive ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS;
    if (time - this.lastDraw < interval && report.step !== this.totalSteps) return;
    const elapsed = time - this.lastStepTime;
    if (elapsed > 0 && report.step > this.lastStep) {
      this.samplesPerSecond = ((report.step - this.lastStep) * this.batchSize * 1000) / elapsed;
    }
    this.lastStep = report.step;
    this.lastStepTime = time;
    this.lastDraw = time;
    this.draw(report.step);
  }

  /** A line of its own (e.g. an evaluation), above the bar. */
  log(line: string): void {
    if (this.interactive && this.drawn) this.stream.write('\r\x1b[2K');
    this.stream.write(`${line}\n`);
    this.drawn = false;
    if (this.interactive && this.lastStep > 0) this.draw(this.lastStep);
  }

  /** Leaves the cursor on a fresh line after the bar. */
  finish(): void {
    if (this.interactive && this.drawn) this.stream.write('\n');
    this.drawn = false;
  }

  private draw(step: number): void {
    const stats = formatStats(step, this.totalSteps, this.loss, this.accuracy, this.samplesPerSecond);
    if (!this.interactive) {
      this.stream.write(`${stats}\n`);
      return;
    }
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - stats.length - 4));
    const filled = Math.round((width * Math.min(step, this.totalSteps)) / this.totalSteps);
    this.stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${stats}`);
    this.drawn = true;
  }
}

export function formatStats(step: number, totalSteps: number, loss: number, accuracy: number, samplesPerSecond: number): string {
  const digits = String(totalSteps).length;
  return `step ${String(step).padStart(digits)}/${totalSteps}` + `  loss ${loss.toFixed(4)}  acc ${(accuracy * 100).toFixed(1).padStart(5)}%` + `  ${Math.round(samplesPerSecond)} samples/s`;
}
