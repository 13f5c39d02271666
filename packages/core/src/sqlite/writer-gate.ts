import { acquireWithin } from '../concurrency/acquire-within.js';
import { Semaphore } from '../concurrency/semaphore.js';

const gates = new Map<string, Semaphore>();

/**
 * One writer at a time per SQLite file, per process, waited for without
 * blocking the event loop.
 *
 * Why it exists: better-sqlite3 is synchronous, so when connection A holds a
 * write transaction across an `await` and connection B (same process) tries
 * to write, SQLite's busy handler sleeps *on the event loop thread*. A can
 * never resume to commit, and B fails with SQLITE_BUSY after busy_timeout.
 * Queuing writers here, asynchronously, lets A finish. Other processes are
 * still handled by busy_timeout.
 */
export async function acquireWriterGate(file: string, timeoutMs: number): Promise<() => void> {
  let gate = gates.get(file);
  if (!gate) {
    gate = new Semaphore(1);
    gates.set(file, gate);
  }
  const held = gate;
  await acquireWithin(held, {
    timeoutMs,
    what: `the SQLite write lock on ${file}`,
    hint:
      'Another connection in this process holds a write transaction. Keep write transactions ' +
      'short; inside db.transaction() use the trx handle, not db, or it waits for itself.',
  });
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.release();
  };
}
