import { describe, expect, it } from 'vitest';
import { checkLedger, subsetSums } from '../src/faults/check-ledger.js';
import type { TransferOutcome, TransferRecord } from '../src/faults/ledger.js';

let keys = 0;

/** One attempt; a retry passes the attempt it repeats as `retrying`. */
function transfer(
  from: number,
  to: number,
  amount: number,
  outcome: TransferOutcome,
  retrying?: TransferRecord,
  replayed = false,
): TransferRecord {
  return {
    key: retrying?.key ?? `key-${keys++}`,
    attempt: (retrying?.attempt ?? 0) + 1,
    replayed,
    from,
    to,
    amount,
    outcome,
    status: outcome === 'acknowledged' ? 200 : outcome === 'refused' ? 503 : undefined,
    retryAfter: undefined,
    sentAt: 0,
    latencyMs: 1,
  };
}

const opening = () =>
  new Map([
    [1, 1000],
    [2, 1000],
    [3, 1000],
  ]);

/** The balances after applying `applied` to the opening ones. */
function apply(...applied: TransferRecord[]): Map<number, number> {
  const balances = opening();
  for (const t of applied) {
    balances.set(t.from, (balances.get(t.from) ?? 0) - t.amount);
    balances.set(t.to, (balances.get(t.to) ?? 0) + t.amount);
  }
  return balances;
}

describe('checkLedger', () => {
  it('passes when every acknowledged transfer is applied and nothing else', () => {
    const ack = [transfer(1, 2, 5, 'acknowledged'), transfer(2, 3, 4, 'acknowledged')];
    const refused = transfer(3, 1, 2, 'refused');
    const check = checkLedger(opening(), [...ack, refused], apply(...ack));
    expect(check.passed).toBe(true);
    expect(check).toMatchObject({ acknowledged: 2, refused: 1, unknown: 0, accountsOff: [] });
    expect(check.summary).toMatch(/every acknowledged transfer present/);
  });

  it('fails when an acknowledged transfer is missing: a lost write', () => {
    const lost = transfer(1, 2, 5, 'acknowledged');
    const check = checkLedger(opening(), [lost], opening());
    expect(check.passed).toBe(false);
    expect(check.accountsOff.map((a) => a.id)).toEqual([1, 2]);
    expect(check.accountsOff[0]).toMatchObject({
      expected: 995,
      actual: 1000,
      unknownTransfers: 0,
    });
    expect(check.summary).toMatch(/account 1 holds 1000, expected 995/);
  });

  it('fails when a refused transfer was applied anyway', () => {
    const refused = transfer(1, 3, 3, 'refused');
    const check = checkLedger(opening(), [refused], apply(refused));
    expect(check.passed).toBe(false);
    expect(check.accountsOff.map((a) => a.id)).toEqual([1, 3]);
  });

  it('lets a transfer of unknown outcome have landed or not, but only whole', () => {
    const unknown = transfer(1, 2, 4, 'unknown');
    expect(checkLedger(opening(), [unknown], apply(unknown)).passed).toBe(true);
    expect(checkLedger(opening(), [unknown], opening()).passed).toBe(true);
    const half = opening();
    half.set(1, 996);
    half.set(3, 1004);
    const check = checkLedger(opening(), [unknown], half);
    expect(check.passed).toBe(false);
    expect(check.accountsOff.map((a) => a.id)).toEqual([3]);
  });

  it('explains an account only with a subset of its unknown transfers, not any amount in their range', () => {
    const unknown = [transfer(1, 2, 5, 'unknown'), transfer(1, 3, 5, 'unknown')];
    const balances = opening();
    balances.set(1, 997);
    balances.set(2, 1003);
    const check = checkLedger(opening(), unknown, balances);
    expect(check.passed).toBe(false);
    expect(check.accountsOff.map((a) => a.id)).toEqual([1, 2]);
  });

  it('counts a transfer retried with its key once: landed then replayed passes, applied twice fails', () => {
    const first = transfer(1, 2, 5, 'unknown');
    const retry = transfer(1, 2, 5, 'acknowledged', first, true);
    const once = checkLedger(opening(), [first, retry], apply(retry));
    expect(once.passed).toBe(true);
    expect(once).toMatchObject({
      acknowledged: 1,
      unknown: 0,
      retried: 1,
      settledByRetry: 1,
      replayed: 1,
    });
    expect(once.summary).toMatch(/1 retried with their Idempotency-Key/);
    const twice = checkLedger(opening(), [first, retry], apply(retry, retry));
    expect(twice.passed).toBe(false);
    expect(twice.accountsOff.map((a) => a.id)).toEqual([1, 2]);
  });

  it('fails when the total changed, even if the accounts it knows of look right', () => {
    const balances = opening();
    balances.set(4, 10);
    const check = checkLedger(opening(), [], balances);
    expect(check.passed).toBe(false);
    expect(check.summary).toMatch(/3 accounts before, 4 after; total 3000 became 3010/);
  });
});

describe('subsetSums', () => {
  it('lists every sum of a subset, the empty one included', () => {
    expect([...subsetSums([-3, 2, 2])].sort((a, b) => a - b)).toEqual([-3, -1, 0, 1, 2, 4]);
    expect([...subsetSums([])]).toEqual([0]);
  });
});
