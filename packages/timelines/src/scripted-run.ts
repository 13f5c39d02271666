import type { ConnectionStrategy, LifetimeEvent } from '@lifetimes/core';
import { whichConnection } from '@lifetimes/core';
import type { MultiTenantStrategy } from '@lifetimes/tenants';

export interface TimelineDb {
  note: { id: number; body: string };
}

/** The tenants a registry's requests name; `main` is its default database. */
export const TENANTS = ['main', 'north', 'south'] as const;
export type Tenant = (typeof TENANTS)[number];

export interface ScriptedRequest {
  readonly label: string;
  /** When the request arrives, ms after its phase starts, or after `after` has answered. */
  readonly startMs: number;
  /** The label of a request of the same phase this one arrives after. */
  readonly after?: string;
  /** The database it names, for a strategy that serves many; the others ignore it. */
  readonly tenant: Tenant;
  readonly run: (strategy: ConnectionStrategy<TimelineDb>) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SLOW = 'GET /slow (query, 150 ms await, query)';
const TRANSFER = 'POST /transfer (a transaction)';

/** Four overlapping requests chosen so each lifetime shows, at most two of them holding a connection at once. */
const MIXED: readonly ScriptedRequest[] = [
  {
    label: SLOW,
    startMs: 0,
    tenant: 'main',
    run: async ({ db, dialect }) => {
      await whichConnection(db, dialect);
      await sleep(150);
      await whichConnection(db, dialect);
    },
  },
  {
    label: TRANSFER,
    startMs: 5,
    tenant: 'north',
    run: async (strategy) => {
      await strategy.db.transaction().execute(async (trx) => {
        await trx.insertInto('note').values({ id: 1, body: 'debit' }).execute();
        await sleep(15);
        await trx.insertInto('note').values({ id: 2, body: 'credit' }).execute();
      });
      await strategy.commit();
      await whichConnection(strategy.db, strategy.dialect);
    },
  },
  {
    label: 'GET /health (no query)',
    startMs: 15,
    tenant: 'north',
    run: async () => {
      await sleep(20);
    },
  },
  {
    // After /transfer has answered, not at a fixed time: a third request
    // holding a connection beside /slow and /transfer would wait on a cap
    // of two only when the machine is slow, and waits must come from the burst.
    label: 'GET /queries (3 quick queries)',
    startMs: 5,
    after: TRANSFER,
    tenant: 'south',
    run: async ({ db, dialect }) => {
      for (let i = 0; i < 3; i++) await whichConnection(db, dialect);
    },
  },
];

/** The burst: more requests at once than the cap of two, each holding its connection for 10 ms. */
export const BURST_SIZE = 4;

const BURST: readonly ScriptedRequest[] = Array.from({ length: BURST_SIZE }, (_, i) => ({
  label: `GET /report ${i + 1} (read-only transaction, 10 ms)`,
  startMs: 0,
  tenant: 'south',
  run: async ({ db, dialect }) => {
    // Read only, so SQLite's one-writer gate does not queue them: every
    // wait drawn is a wait for a connection.
    await db
      .transaction()
      .setAccessMode('read only')
      .execute(async (trx) => {
        await whichConnection(trx, dialect);
        await sleep(10);
        await whichConnection(trx, dialect);
      });
  },
}));

/** The mixed requests, then, once all have answered, the burst. */
export const SCRIPT: readonly (readonly ScriptedRequest[])[] = [MIXED, BURST];

/** How a request opens its scope: on its tenant's database for a registry, a plain scope otherwise. */
function scopeOf(
  strategy: ConnectionStrategy<TimelineDb>,
  registry: MultiTenantStrategy<TimelineDb> | undefined,
): (tenant: Tenant, fn: () => Promise<void>) => Promise<void> {
  if (registry)
    return (tenant, fn) => registry.scopeFor(tenant === 'main' ? undefined : tenant, fn);
  return (_, fn) => strategy.scope(fn);
}

export interface ScriptedRunResult {
  readonly events: LifetimeEvent[];
  /** Row label per scope id, in the order the requests arrived. */
  readonly labels: Map<number, string>;
  /** The tenant of each labelled scope. */
  readonly tenants: Map<number, Tenant>;
}

/**
 * Runs the script in scopes of `strategy` and returns every event, with
 * each scope's label and tenant. Pass the strategy again as `registry` when
 * it serves many databases, so each request goes to its tenant's.
 */
export async function scriptedRun(
  strategy: ConnectionStrategy<TimelineDb>,
  registry?: MultiTenantStrategy<TimelineDb>,
): Promise<ScriptedRunResult> {
  const events: LifetimeEvent[] = [];
  const labels = new Map<number, string>();
  const tenants = new Map<number, Tenant>();
  const stop = strategy.listen((event) => {
    events.push(event);
  });
  const inScope = scopeOf(strategy, registry);
  const serve = (request: ScriptedRequest) =>
    inScope(request.tenant, async () => {
      const started = events.findLast((e) => e.type === 'scope-start');
      if (started?.scopeId !== undefined) {
        labels.set(started.scopeId, request.label);
        tenants.set(started.scopeId, request.tenant);
      }
      await request.run(strategy);
    });
  try {
    for (const phase of SCRIPT) {
      const answered = new Map<string, Promise<void>>();
      for (const request of phase) {
        const arrived = request.after ? answered.get(request.after) : Promise.resolve();
        answered.set(
          request.label,
          (arrived ?? Promise.resolve()).then(async () => {
            await sleep(request.startMs);
            await serve(request);
          }),
        );
      }
      await Promise.all(answered.values());
    }
  } finally {
    stop();
  }
  return { events, labels, tenants };
}
