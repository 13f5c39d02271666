/**
 * One line per step on stderr, with an estimate of the time left from the
 * pace so far: lines, not a redrawn bar, because turbo streams output.
 */
export class Progress {
  readonly #total: number;
  readonly #started = performance.now();
  #done = 0;

  constructor(total: number) {
    this.#total = total;
  }

  step(what: string): void {
    this.#done++;
    const elapsedSec = (performance.now() - this.#started) / 1000;
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
