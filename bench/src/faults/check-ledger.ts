import {
  countOutcomes,
  type LedgerCounts,
  type TransferRecord,
  transferOutcomes,
} from './ledger.js';

/** An account whose balance the ledger cannot explain. */
export interface AccountOff {
  readonly id: number;
  /** Opening balance plus every acknowledged transfer. */
  readonly expected: number;
  readonly actual: number;
  /** Transfers of unknown outcome that touched it: the only slack it has. */
  readonly unknownTransfers: number;
}

/** Transfers sent again with their Idempotency-Key, and what came of it. */
export interface RetryCounts {
  /** Transfers with more than one attempt. */
  readonly retried: number;
  /** Acknowledged on a retry after an attempt that may have landed: each had to apply exactly once. */
  readonly settledByRetry: number;
  /** Of those, answered with the stored answer of an attempt that had landed. */
  readonly replayed: number;
}

export interface LedgerCheck extends LedgerCounts, RetryCounts {
  readonly totalBefore: number;
  readonly totalAfter: number;
  readonly accountsOff: readonly AccountOff[];
  /** Every balance explained and the total unchanged. */
  readonly passed: boolean;
  /** One line for the report. */
  readonly summary: string;
}

/**
 * Checks the database against the ledger, one transfer per Idempotency-Key
 * whatever its attempts. Each account must hold its
 * opening balance plus every acknowledged transfer, exactly, give or take
 * some subset of the transfers whose outcome the client never learned
 * (each of those moved all its money or none of it). A refused transfer has
 * no slack: if it was applied, or an acknowledged one was lost, the account
 * is off. The total must not change whatever happened.
 */
export function checkLedger(
  before: ReadonlyMap<number, number>,
  records: readonly TransferRecord[],
  after: ReadonlyMap<number, number>,
): LedgerCheck {
  const transfers = transferOutcomes(records);
  const expected = new Map(before);
  const slack = new Map<number, number[]>();
  // A transfer settled by a retry counts once, with no slack: had the retry
  // applied it again on top of a first attempt that landed, its accounts
  // would be off by its amount.
  for (const record of transfers) {
    if (record.outcome === 'acknowledged') {
      expected.set(record.from, (expected.get(record.from) ?? 0) - record.amount);
      expected.set(record.to, (expected.get(record.to) ?? 0) + record.amount);
    } else if (record.outcome === 'unknown') {
      slack.set(record.from, [...(slack.get(record.from) ?? []), -record.amount]);
      slack.set(record.to, [...(slack.get(record.to) ?? []), record.amount]);
    }
  }
  const accountsOff: AccountOff[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const want = expected.get(id) ?? 0;
    const actual = after.get(id) ?? 0;
    const deltas = slack.get(id) ?? [];
    if (!subsetSums(deltas).has(actual - want)) {
      accountsOff.push({ id, expected: want, actual, unknownTransfers: deltas.length });
    }
  }
  const sum = (balances: ReadonlyMap<number, number>) =>
    [...balances.values()].reduce((total, balance) => total + balance, 0);
  const totalBefore = sum(before);
  const totalAfter = sum(after);
  const counts = countOutcomes(transfers);
  const retries: RetryCounts = {
    retried: transfers.filter((t) => t.attempts > 1).length,
    settledByRetry: transfers.filter((t) => t.settledByRetry).length,
    replayed: transfers.filter((t) => t.settledByRetry && t.replayed).length,
  };
  const passed =
    accountsOff.length === 0 && totalBefore === totalAfter && before.size === after.size;
  return {
    ...counts,
    ...retries,
    totalBefore,
    totalAfter,
    accountsOff,
    passed,
    summary: summarize(
      counts,
      retries,
      accountsOff,
      totalBefore,
      totalAfter,
      before.size,
      after.size,
    ),
  };
}

/** Every sum of a subset of `values`, the empty one (0) included. */
export function subsetSums(values: readonly number[]): Set<number> {
  let sums = new Set([0]);
  for (const value of values) {
    const next = new Set(sums);
    for (const sum of sums) next.add(sum + value);
    sums = next;
  }
  return sums;
}

function summarize(
  counts: LedgerCounts,
  retries: RetryCounts,
  off: readonly AccountOff[],
  totalBefore: number,
  totalAfter: number,
  accountsBefore: number,
  accountsAfter: number,
): string {
  const tally =
    `${counts.acknowledged} acknowledged, ${counts.refused} refused, ${counts.unknown} unknown` +
    (retries.retried === 0
      ? ''
      : ` (${retries.retried} retried with their Idempotency-Key, ${retries.settledByRetry} ` +
        `acknowledged after an attempt that may have landed, ${retries.replayed} of them replays)`);
  const problems: string[] = [];
  if (accountsAfter !== accountsBefore) {
    problems.push(`${accountsBefore} accounts before, ${accountsAfter} after`);
  }
  if (totalAfter !== totalBefore) problems.push(`total ${totalBefore} became ${totalAfter}`);
  if (off.length > 0) {
    const shown = off
      .slice(0, 3)
      .map(
        (a) =>
          `account ${a.id} holds ${a.actual}, expected ${a.expected}` +
          (a.unknownTransfers > 0 ? ` give or take ${a.unknownTransfers} unknown transfer(s)` : ''),
      );
    problems.push(
      `${off.length} account(s) off: ${shown.join('; ')}${off.length > 3 ? '; ...' : ''}`,
    );
  }
  return problems.length === 0
    ? `${tally}: every acknowledged transfer present once, no refused one applied, total unchanged`
    : `${tally}: ${problems.join('; ')}`;
}
