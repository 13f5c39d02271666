import { ACCOUNTS } from '@lifetimes/schema';

/**
 * What the client learned of one transfer. acknowledged: a 200, so the
 * money moved and must stay moved. refused: any other answer, or a
 * connection the app's port refused, so it must not have moved. unknown: no
 * answer (the connection broke mid-request or the client gave up), or an
 * answer that says so itself (the apps' 503 for a database connection lost
 * mid-request: "may or may not have been applied"), so it may or may not
 * have moved, all of it or none.
 */
export type TransferOutcome = 'acknowledged' | 'refused' | 'unknown';

export interface TransferRecord {
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

/** How an app's error says that the write it refused may have been applied all the same. */
const UNCERTAIN = /may or may not have been applied/i;

/** Longer than any answer the apps promise (a 503 comes after the acquire timeout, 5 s at most). */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The write ledger: clients that POST /transfer between random accounts in
 * a loop of their own and record every outcome, so that afterwards every
 * balance in the database can be checked against what the clients were told.
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

  counts(): LedgerCounts {
    const count = (outcome: TransferOutcome) =>
      this.#records.filter((r) => r.outcome === outcome).length;
    return {
      acknowledged: count('acknowledged'),
      refused: count('refused'),
      unknown: count('unknown'),
    };
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

  async #transfer(url: string): Promise<void> {
    const from = 1 + Math.floor(Math.random() * ACCOUNTS);
    const to = 1 + ((from + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS);
    const amount = 1 + Math.floor(Math.random() * 5);
    const sentAt = performance.now();
    this.#inFlight++;
    let status: number | undefined;
    let retryAfter: string | undefined;
    let outcome: TransferOutcome = 'unknown';
    try {
      const response = await fetch(`${url}/transfer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ from, to, amount }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // The body is part of the answer: a 200 whose body never arrived is not an acknowledgement.
      const body = await response.text();
      status = response.status;
      retryAfter = response.headers.get('retry-after') ?? undefined;
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
    this.#records.push({
      from,
      to,
      amount,
      outcome,
      status,
      retryAfter,
      sentAt,
      latencyMs: performance.now() - sentAt,
    });
  }
}
