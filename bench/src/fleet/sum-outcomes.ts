import type { Outcomes } from './fleet-results.js';

/** The outcomes of several loads as one: the phases of a deploy, or a fleet's warm-up and its round. */
export function sumOutcomes(parts: readonly Outcomes[]): Outcomes {
  const sum = (key: keyof Outcomes) => parts.reduce((total, part) => total + part[key], 0);
  return {
    ok: sum('ok'),
    refused: sum('refused'),
    refusedWithoutRetryAfter: sum('refusedWithoutRetryAfter'),
    otherFailures: sum('otherFailures'),
    socketErrors: sum('socketErrors'),
    timeouts: sum('timeouts'),
  };
}
