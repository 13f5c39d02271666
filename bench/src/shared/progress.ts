/**
 * One line per step on stderr, with an estimate of the time left from the
 * pace so far: lines, not a redrawn bar, because turbo streams output. The
 * pace is timed from the first step on: what comes before it (a server's
 * start, the apps' warm-up) is no step, and counted as one it made the
 * first estimate of a one-minute run read "about 19 min left".
 */
export class Progress {
  readonly #total: number;
  readonly #now: () => number;
  #firstStepAt: number | undefined;
  #done = 0;

  /** `now` in milliseconds, performance.now() unless a test gives a clock. */
  constructor(total: number, now: () => number = () => performance.now()) {
    this.#total = total;
    this.#now = now;
  }

  step(what: string): void {
    this.#done++;
    const now = this.#now();
    this.#firstStepAt ??= now;
    const elapsedSec = (now - this.#firstStepAt) / 1000;
    // The pace of the steps finished since the first one began, for the
    // steps left including this one.
    const left =
      this.#done > 1 ? (elapsedSec / (this.#done - 1)) * (this.#total - this.#done + 1) : undefined;
    const eta = left === undefined ? '' : ` · about ${formatDuration(left)} left`;
    process.stderr.write(`[${this.#done}/${this.#total}] ${what}${eta}\n`);
  }

  note(text: string): void {
    process.stderr.write(`      ${text}\n`);
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}
