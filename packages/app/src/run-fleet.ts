import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ConnectionStrategy, LifetimeStats } from '@lifetimes/core';

/** One worker's counters, as `/stats` lists them under `workers`. */
export interface WorkerStats extends LifetimeStats {
  readonly pid: number;
}

/**
 * `/stats` of a fleet: every counter summed over the workers, and each
 * worker's own. The summed `peakActive` is an upper bound: the workers'
 * peaks need not have happened at the same moment.
 */
export interface FleetStats extends LifetimeStats {
  readonly workers: readonly WorkerStats[];
}

/** What the primary and its workers say to each other over the cluster's IPC channel. */
type FleetMessage =
  | { readonly fleet: 'stats-request'; readonly id: number }
  | { readonly fleet: 'stats-query'; readonly id: number }
  | { readonly fleet: 'stats-answer'; readonly id: number; readonly stats: WorkerStats }
  | { readonly fleet: 'stats-reply'; readonly id: number; readonly workers: WorkerStats[] };

/** How long the primary waits for a worker's counters; a worker that is being replaced is left out. */
const STATS_ANSWER_MS = 1000;

export interface FleetOptions {
  readonly name: string;
  readonly workers: number;
  /** Runs once before any worker starts: migrating and seeding once, so workers never race to create the same tables. */
  readonly prepare: () => Promise<void>;
  /** After SIGTERM, when every worker must be gone; the rest are killed and the primary exits 1. */
  readonly exitDeadlineMs: number;
}

/**
 * The primary of a fleet: prepares the database, forks `workers` processes
 * that each run the app (same port, their own strategy), replaces one that
 * dies, gathers their counters for `/stats`, and on SIGTERM passes it on
 * and exits once all have (0 if every one exited 0).
 */
export async function runFleet({ name, workers, prepare, exitDeadlineMs }: FleetOptions) {
  try {
    await prepare();
  } catch (error) {
    console.error(`${name}: could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  // Tokens signed by one worker must verify on another: without APP_SECRET
  // each process would draw its own.
  const env = { APP_SECRET: process.env.APP_SECRET || randomBytes(32).toString('hex') };
  let stopping = false;
  let nextQuery = 0;
  const pending = new Map<number, { answers: WorkerStats[]; expected: number; done: () => void }>();

  const gather = (asker: Worker, id: number) => {
    const live = Object.values(cluster.workers ?? {}).filter(
      (worker): worker is Worker => worker?.isConnected() === true,
    );
    const query = nextQuery++;
    const answers: WorkerStats[] = [];
    const reply = () => {
      clearTimeout(timer);
      pending.delete(query);
      answers.sort((a, b) => a.pid - b.pid);
      // A callback takes a failed send (the asker died meanwhile); without
      // one, the failure is an 'error' event that ends the primary.
      if (asker.isConnected())
        asker.send({ fleet: 'stats-reply', id, workers: answers } satisfies FleetMessage, () => {});
    };
    const timer = setTimeout(reply, STATS_ANSWER_MS);
    const waiting = { answers, expected: live.length, done: reply };
    pending.set(query, waiting);
    for (const worker of live) {
      // Connected a moment ago is no promise: a worker killed now fails the send.
      worker.send({ fleet: 'stats-query', id: query } satisfies FleetMessage, (error) => {
        if (!error) return;
        waiting.expected -= 1;
        if (pending.has(query) && answers.length >= waiting.expected) reply();
      });
    }
  };

  const fork = () => {
    const worker = cluster.fork(env);
    worker.on('message', (message: FleetMessage) => {
      if (message.fleet === 'stats-request') gather(worker, message.id);
      if (message.fleet === 'stats-answer') {
        const query = pending.get(message.id);
        if (!query) return;
        query.answers.push(message.stats);
        if (query.answers.length === query.expected) query.done();
      }
    });
    // An IPC failure of one worker is that worker's end, reported by 'exit'; never the primary's.
    worker.on('error', (error) => {
      console.error(`${name}: worker ${worker.process.pid}: ${error.message}`);
    });
    worker.on('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `${name}: worker ${worker.process.pid} exited (${signal ?? `code ${code}`}); starting a replacement.`,
      );
      fork();
    });
  };

  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    listening += 1;
    if (listening === workers) {
      console.log(
        `${name}: fleet of ${workers} workers listening on http://localhost:${address.port}`,
      );
    }
  });
  for (let i = 0; i < workers; i += 1) fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    void stopFleet(name, signal, exitDeadlineMs);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function stopFleet(name: string, signal: NodeJS.Signals, exitDeadlineMs: number) {
  const workers = Object.values(cluster.workers ?? {}).filter(
    (worker): worker is Worker => worker !== undefined,
  );
  const deadline = setTimeout(() => {
    console.error(
      `${name}: workers still running ${exitDeadlineMs / 1000} s after ${signal}; killing them.`,
    );
    for (const worker of workers) worker.process.kill('SIGKILL');
    process.exit(1);
  }, exitDeadlineMs);
  console.log(`${name}: ${signal}: stopping ${workers.length} workers.`);
  const codes = await Promise.all(
    workers.map(
      (worker) =>
        new Promise<number | null>((resolve) => {
          if (worker.isDead()) resolve(worker.process.exitCode);
          else worker.once('exit', (code: number | null) => resolve(code));
          // Each worker drains its own requests and closes its own strategy.
          worker.process.kill(signal);
        }),
    ),
  );
  clearTimeout(deadline);
  const clean = codes.every((code) => code === 0);
  if (clean) console.log(`${name}: fleet stopped cleanly: ${workers.length} workers exited 0.`);
  else
    console.error(
      `${name}: fleet stopped, but not cleanly: worker exit codes ${codes.join(', ')}.`,
    );
  process.exit(clean ? 0 : 1);
}

/**
 * A worker's request handler: `GET /stats` answers for the whole fleet (asked
 * of the primary), everything else goes to the app, which never knows it is
 * one of many. The worker also answers the primary's queries for its counters.
 */
export function fleetWorkerHandler(
  app: RequestListener,
  strategy: Pick<ConnectionStrategy<never>, 'stats'>,
): RequestListener {
  let nextRequest = 0;
  const waiting = new Map<number, (workers: WorkerStats[]) => void>();
  process.on('message', (message: FleetMessage) => {
    if (message.fleet === 'stats-query') {
      process.send?.({
        fleet: 'stats-answer',
        id: message.id,
        stats: { pid: process.pid, ...strategy.stats() },
      } satisfies FleetMessage);
    }
    if (message.fleet === 'stats-reply') {
      waiting.get(message.id)?.(message.workers);
      waiting.delete(message.id);
    }
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/stats') {
      app(req, res);
      return;
    }
    const id = nextRequest++;
    waiting.set(id, (workers) => {
      const body = JSON.stringify(sumStats(workers));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    });
    process.send?.({ fleet: 'stats-request', id } satisfies FleetMessage);
  };
}

/** Every counter summed over the workers, with the workers listed. */
export function sumStats(workers: readonly WorkerStats[]): FleetStats {
  const sum: Record<string, number> = {};
  for (const { pid: _pid, ...stats } of workers) {
    for (const [key, value] of Object.entries(stats)) sum[key] = (sum[key] ?? 0) + value;
  }
  return { ...(sum as unknown as LifetimeStats), workers };
}
