import type { Request } from 'autocannon';

export const WORKLOAD_NAMES = [
  'db',
  'queries',
  'updates',
  'transfer',
  'slow',
  'tenants-over',
  'tenants-under',
  'login',
] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/**
 * What `npx turbo bench` runs unless told otherwise: every workload the docs
 * quote, within the time budget. `updates` and `login` are opt-in.
 */
export const DEFAULT_WORKLOADS = [
  'db',
  'queries',
  'transfer',
  'slow',
  'tenants-under',
  'tenants-over',
] as const satisfies readonly WorkloadName[];

/** The users the bench registers on each app for `login`, and their password. */
export const LOGIN_USERS = Array.from({ length: 32 }, (_, i) => `bench-user-${i}`);
export const LOGIN_PASSWORD = 'bench-password-1';

/** The registry cap every app is started with; the tenants workloads go above and below it. */
export const TENANT_CAP = 4;

export interface Workload {
  readonly name: WorkloadName;
  readonly description: string;
  /**
   * Statements on the World table each 2xx request makes, for the
   * TechEmpower query-count check on PostgreSQL; undefined: not checked.
   */
  readonly worldStatements?: { readonly select: number; readonly update: number };
  /** Tenants the app must have before the round: this workload spreads requests over them. */
  readonly tenants: number;
  /** The routes it needs beyond /db and /queries: a row serving only those (the driver floor) skips it. */
  readonly floor: boolean;
  /** The requests autocannon cycles through. */
  requests(tenantIds: readonly string[]): Request[];
  /** True when a response body is a correct answer (also for an accepted 4xx, e.g. 409). */
  verify(body: string): boolean;
}

type Row = { id: unknown; randomNumber: unknown };

function isWorld(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const { id, randomNumber } = value as Row;
  return (
    Number.isInteger(id) &&
    Number.isInteger(randomNumber) &&
    (id as number) >= 1 &&
    (id as number) <= 10_000 &&
    (randomNumber as number) >= 1 &&
    (randomNumber as number) <= 10_000
  );
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function worlds(count: number): (body: string) => boolean {
  return (body) => {
    const value = parse(body);
    return Array.isArray(value) && value.length === count && value.every(isWorld);
  };
}

function randomAccount(): number {
  return 1 + Math.floor(Math.random() * 100);
}

/** Round-robin over the tenants: each request names the next one in `x-tenant`. */
function roundRobin(tenantIds: readonly string[]): Request[] {
  let next = 0;
  return [
    {
      method: 'GET',
      path: '/db',
      setupRequest: (request) => {
        const tenant = tenantIds[next++ % tenantIds.length] ?? '';
        return { ...request, headers: { ...request.headers, 'x-tenant': tenant } };
      },
    },
  ];
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  db: {
    name: 'db',
    description: 'one random World row per request (TechEmpower single query)',
    worldStatements: { select: 1, update: 0 },
    tenants: 0,
    floor: true,
    requests: () => [{ method: 'GET', path: '/db' }],
    verify: (body) => isWorld(parse(body)),
  },
  queries: {
    name: 'queries',
    description: '20 sequential single-row queries per request (TechEmpower multiple queries)',
    worldStatements: { select: 20, update: 0 },
    tenants: 0,
    floor: true,
    requests: () => [{ method: 'GET', path: '/queries?queries=20' }],
    verify: worlds(20),
  },
  updates: {
    name: 'updates',
    description: '5 reads and 5 writes per request (TechEmpower updates)',
    worldStatements: { select: 5, update: 5 },
    tenants: 0,
    floor: false,
    requests: () => [{ method: 'GET', path: '/updates?queries=5' }],
    verify: worlds(5),
  },
  transfer: {
    name: 'transfer',
    description: 'a transaction per request moving money between two random accounts',
    tenants: 0,
    floor: false,
    requests: () => [
      {
        method: 'POST',
        path: '/transfer',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => {
          const from = randomAccount();
          let to = randomAccount();
          if (to === from) to = (from % 100) + 1;
          const amount = 1 + Math.floor(Math.random() * 5);
          return { ...request, body: JSON.stringify({ from, to, amount }) };
        },
      },
    ],
    verify: (body) => {
      const value = parse(body) as {
        from?: { balance?: unknown };
        to?: { balance?: unknown };
        error?: unknown;
      };
      if (typeof value?.error === 'string') return /insufficient/i.test(value.error);
      return Number.isInteger(value?.from?.balance) && Number.isInteger(value?.to?.balance);
    },
  },
  slow: {
    name: 'slow',
    description:
      'a query, a 20 ms wait without the database, a query: a connection held across an await',
    tenants: 0,
    floor: false,
    requests: () => [{ method: 'GET', path: '/slow?ms=20' }],
    verify: (body) => {
      const value = parse(body) as { waitedMs?: unknown; connections?: unknown };
      return (
        value?.waitedMs === 20 && Array.isArray(value.connections) && value.connections.length === 2
      );
    },
  },
  'tenants-over': {
    name: 'tenants-over',
    description: `requests round-robin over ${TENANT_CAP + 4} tenants, more than the registry cap of ${TENANT_CAP}`,
    worldStatements: { select: 1, update: 0 },
    tenants: TENANT_CAP + 4,
    floor: false,
    requests: roundRobin,
    verify: (body) => isWorld(parse(body)),
  },
  'tenants-under': {
    name: 'tenants-under',
    description: `requests round-robin over ${TENANT_CAP - 1} tenants, fewer than the registry cap of ${TENANT_CAP}`,
    worldStatements: { select: 1, update: 0 },
    tenants: TENANT_CAP - 1,
    floor: false,
    requests: roundRobin,
    verify: (body) => isWorld(parse(body)),
  },
  login: {
    name: 'login',
    description: `correct credentials posted to /auth/login, round-robin over ${LOGIN_USERS.length} users: a slow KDF per request, inside the connection's lifetime where the strategy holds one`,
    tenants: 0,
    floor: false,
    requests: () => {
      let next = 0;
      return [
        {
          method: 'POST',
          path: '/auth/login',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            const username = LOGIN_USERS[next++ % LOGIN_USERS.length];
            return { ...request, body: JSON.stringify({ username, password: LOGIN_PASSWORD }) };
          },
        },
      ];
    },
    verify: (body) => {
      const value = parse(body) as { token?: unknown } | undefined;
      return typeof value?.token === 'string' && value.token.length > 0;
    },
  },
};
