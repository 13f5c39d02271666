import { randomUUID } from 'node:crypto';
import { ACCOUNTS } from '@lifetimes/schema';

/**
 * What the client learned from one attempt at a transfer. acknowledged: a 200, so the
 * money moved and must stay moved. refused: any other answer, or a
 * connection the app's port refused, so it must not have moved. unknown: no
 * answer (the connection broke mid-request or the client gave up), or an
 * answer that says so itself (the apps' 503 for a database connection lost
 * mid-request: "may or may not have been applied"), so it may or may not
 * have moved, all of it or none.
 */
export type TransferOutcome = 'acknowledged' | 'refused' | 'unknown';

/** One attempt at a transfer: a transfer and its retries share one Idempotency-Key. */
export interface TransferRecord {
  /** The transfer's Idempotency-Key, the same on each of its attempts. */
  readonly key: string;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** A 200 that the app marked as the stored answer of an earlier attempt (Idempotent-Replayed). */
  readonly replayed: boolean;
  readonly from: number;
  readonly to: number;
  readonly amount: number;
  readonly outcome: TransferOutcome;
  /** The HTTP status; undefined when there was no answer. */
  readonly status: number | undefined;
  /** The Retry-After header of the answer, if it had one. */
  readonly retryAfter: string | undefined;
  /** When it was sent, performance.now() milliseconds. */
  readonly sentAt: number;
  readonly latencyMs: number;
}

export interface LedgerCounts {
  readonly acknowledged: number;
  readonly refused: number;
  readonly unknown: number;
}

/** One transfer and what its attempts add up to. */
export interface TransferOutcomeOf {
  readonly key: string;
  readonly from: number;
  readonly to: number;
  readonly amount: number;
  /**
   * acknowledged if any attempt was (the key makes every attempt one
   * write); else unknown if any attempt may have landed; else refused.
   */
  readonly outcome: TransferOutcome;
  readonly attempts: number;
  /** Some attempt before the acknowledged one may have landed: the retry had to apply it at most once. */
  readonly settledByRetry: boolean;
  /** The acknowledgement was the stored answer of an attempt that had landed. */
  readonly replayed: boolean;
}

/** Groups attempts by their Idempotency-Key, in the order the transfers were first sent. */
export function transferOutcomes(records: readonly TransferRecord[]): TransferOutcomeOf[] {
  const byKey = new Map<string, TransferRecord[]>();
  for (const record of records) byKey.set(record.key, [...(byKey.get(record.key) ?? []), record]);
  return [...byKey.values()].map((attempts) => {
    const [first] = attempts as [TransferRecord, ...TransferRecord[]];
    const acknowledged = attempts.find((r) => r.outcome === 'acknowledged');
    const outcome: TransferOutcome = acknowledged
      ? 'acknowledged'
      : attempts.some((r) => r.outcome === 'unknown')
        ? 'unknown'
        : 'refused';
    return {
      key: first.key,
      from: first.from,
      to: first.to,
      amount: first.amount,
      outcome,
      attempts: attempts.length,
      settledByRetry:
        acknowledged !== undefined &&
        attempts.some((r) => r.attempt < acknowledged.attempt && r.outcome === 'unknown'),
      replayed: acknowledged?.replayed === true,
    };
  });
}

export function countOutcomes(transfers: readonly TransferOutcomeOf[]): LedgerCounts {
  const count = (outcome: TransferOutcome) => transfers.filter((t) => t.outcome === outcome).length;
  return {
    acknowledged: count('acknowledged'),
    refused: count('refused'),
    unknown: count('unknown'),
  };
}

/** How an app's error says that the write it refused may have been applied all the same. */
const UNCERTAIN = /may or may not have been applied/i;

/** Longer than any answer the apps promise (a 503 comes after the acquire timeout, 5 s at most). */
const REQUEST_TIMEOUT_MS = 15_000;
/** Attempts at one transfer, the first included. */
const MAX_ATTEMPTS = 5;
/** The longest pause before a retry, whatever Retry-After says: the fault phases are short. */
const MAX_RETRY_PAUSE_MS = 1000;

/**
 * The write ledger: clients that POST /transfer between random accounts in
 * a loop of their own and record every outcome, so that afterwards every
 * balance in the database can be checked against what the clients were told.
 * Each transfer carries an Idempotency-Key; one whose outcome is unknown or
 * that got a 503 is retried with the same key, as the apps' 503 asks, until
 * it is answered or the ledger stops. The check then proves exactly-once
 * effect: a retry that applied a landed transfer again would leave its
 * accounts off.
 */
export class Ledger {
  readonly #records: TransferRecord[] = [];
  readonly #loops: Promise<void>[] = [];
  #running = false;
  #inFlight = 0;

  get records(): readonly TransferRecord[] {
    return this.#records;
  }

  /** Transfers sent and not answered yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Transfers (not attempts) by what their attempts add up to: see transferOutcomes(). */
  counts(): LedgerCounts {
    return countOutcomes(transferOutcomes(this.#records));
  }

  /**
   * Starts `clients` loops against the app at `url`, each sending its next
   * transfer `pauseMs` after the last one was answered. A ledger can be
   * started again after stop(), on another app on the same database: the
   * records add up.
   */
  start(url: string, clients: number, pauseMs: number): void {
    if (this.#running) throw new Error('The ledger is already running: stop() it first.');
    this.#running = true;
    for (let i = 0; i < clients; i++) this.#loops.push(this.#loop(url, pauseMs));
  }

  /** Sends no new transfer and waits for the ones in flight to be answered or to fail. */
  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops.splice(0));
  }

  async #loop(url: string, pauseMs: number): Promise<void> {
    while (this.#running) {
      await this.#transfer(url);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  /**
   * Sends every transfer whose outcome is still unknown again, with its
   * key, until it is answered (after a restart, say); resolves with how many
   * there were. The app must apply each at most once: a replay for one that
   * had landed, the write itself for one that had not.
   */
  async retryUnknown(url: string): Promise<number> {
    const open = transferOutcomes(this.#records).filter((t) => t.outcome === 'unknown');
    this.#running = true;
    try {
      await Promise.all(open.map((t) => this.#attempts(url, t, t.attempts + 1, true)));
    } finally {
      this.#running = false;
    }
    return open.length;
  }

  async #transfer(url: string): Promise<void> {
    const from = 1 + Math.floor(Math.random() * ACCOUNTS);
    const to = 1 + ((from + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS);
    const amount = 1 + Math.floor(Math.random() * 5);
    await this.#attempts(url, { key: randomUUID(), from, to, amount }, 1, false);
  }

  /** Sends attempt `first` and retries it with the same key while it is worth it. */
  async #attempts(
    url: string,
    transfer: Pick<TransferRecord, 'key' | 'from' | 'to' | 'amount'>,
    first: number,
    mayHaveLanded: boolean,
  ): Promise<void> {
    let uncertain = mayHaveLanded;
    for (let attempt = first; attempt < first + MAX_ATTEMPTS; attempt++) {
      const record = await this.#send(url, { ...transfer, attempt });
      this.#records.push(record);
      uncertain ||= record.outcome === 'unknown';
      // Retried: an answer that may have landed, a 503 (try again later), or,
      // once an attempt may have landed, a port that refuses while the app restarts.
      const retry =
        record.outcome === 'unknown' ||
        record.status === 503 ||
        (uncertain && record.status === undefined);
      if (!retry || !this.#running) return;
      const pauseMs = Math.min(MAX_RETRY_PAUSE_MS, 1000 * Number(record.retryAfter ?? 0.2));
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  async #send(
    url: string,
    transfer: Pick<TransferRecord, 'key' | 'attempt' | 'from' | 'to' | 'amount'>,
  ): Promise<TransferRecord> {
    const { key, from, to, amount } = transfer;
    const sentAt = performance.now();
    this.#inFlight++;
    let status: number | undefined;
    let retryAfter: string | undefined;
    let replayed = false;
    let outcome: TransferOutcome = 'unknown';
    try {
      const response = await fetch(`${url}/transfer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ from, to, amount }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // The body is part of the answer: a 200 whose body never arrived is not an acknowledgement.
      const body = await response.text();
      status = response.status;
      retryAfter = response.headers.get('retry-after') ?? undefined;
      replayed = response.headers.get('idempotent-replayed') === 'true';
      outcome =
        status === 200
          ? 'acknowledged'
          : status >= 500 && UNCERTAIN.test(body)
            ? 'unknown'
            : 'refused';
    } catch (error) {
      // Refused at connect: the request never reached the app, so it cannot have moved anything.
      if ((error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED') {
        outcome = 'refused';
      }
    } finally {
      this.#inFlight--;
    }
    return {
      ...transfer,
      replayed,
      outcome,
      status,
      retryAfter,
      sentAt,
      latencyMs: performance.now() - sentAt,
    };
  }
}
