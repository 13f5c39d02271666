/** One finished request: when (ms on any clock shared with the kills) and whether it succeeded. */
export interface Completion {
  readonly at: number;
  readonly ok: boolean;
}

export interface RecoveryRule {
  /** How long a stretch must be clean to count as recovered. */
  readonly windowMs: number;
  /** Where a recovered stretch may start: every `stepMs` after the fault. */
  readonly stepMs: number;
  /** Successes per millisecond a recovered stretch needs at least: a share of the rate before the faults. */
  readonly minRatePerMs: number;
}

/**
 * Seconds from each fault until the app served normally again: the start of
 * the first stretch of `windowMs` after the fault in which no request failed
 * and at least `minRatePerMs` succeeded; 0 when the stretch right after the
 * fault is already one. The stretch must end before the next fault (or
 * `endAt`): undefined when the app had not recovered by then.
 */
export function recoverySeconds(
  completions: readonly Completion[],
  faults: readonly number[],
  endAt: number,
  rule: RecoveryRule,
): (number | undefined)[] {
  const sorted = [...completions].sort((a, b) => a.at - b.at);
  return faults.map((fault, i) => {
    const limit = faults[i + 1] ?? endAt;
    for (let start = fault; start + rule.windowMs <= limit; start += rule.stepMs) {
      const end = start + rule.windowMs;
      const inWindow = sorted.filter((c) => c.at >= start && c.at < end);
      const clean = inWindow.every((c) => c.ok);
      if (clean && inWindow.length >= rule.minRatePerMs * rule.windowMs) {
        return (start - fault) / 1000;
      }
    }
    return undefined;
  });
}

/** Successes per millisecond in [from, to). */
export function successRate(completions: readonly Completion[], from: number, to: number): number {
  if (to <= from) return 0;
  return completions.filter((c) => c.ok && c.at >= from && c.at < to).length / (to - from);
}
