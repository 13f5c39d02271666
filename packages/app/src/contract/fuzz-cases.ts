import { createHmac, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { backends } from '@lifetimes/databases';
import { ACCOUNTS } from '@lifetimes/schema';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { type CallOptions, type CallResult, call } from './http-call.js';
import { createTenant, tenantDatabaseUrl } from './tenant-database.js';
import { FIXED_ACCOUNTS } from './transfer-cases.js';

/** Property runs per app and dialect; each run is a handful of requests. FUZZ_RUNS raises it for a deeper search. */
const RUNS = Number(process.env.FUZZ_RUNS) || 25;
const SECRET = 'app-contract-fuzz-secret';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A database the fuzzer watches: the default one, or a tenant's. */
interface Place {
  readonly label: string;
  /** The x-tenant header that selects it; undefined for the default database. */
  readonly tenant: string | undefined;
  readonly url: string;
  /** The fuzzer's user there, and a fresh token for it. */
  readonly userId: number;
  readonly token: string;
  /** Its posts as they must be: id -> row, kept from the app's 2xx answers. */
  readonly posts: Map<number, PostRow>;
}

interface PostRow {
  readonly title: string;
  readonly body: string;
  readonly author_id: number;
}

interface Attempt {
  readonly method: string;
  readonly path: string;
  readonly options: CallOptions;
  /** The place the x-tenant header selects, if it names one the fuzzer watches. */
  readonly place: Place | undefined;
  /** The place whose untouched, current token the request carries, if any. */
  readonly tokenOf: Place | undefined;
}

/** The Authorization header of a request, and whose current token it is, if anyone's. */
interface Sent {
  readonly header: string | undefined;
  readonly tokenOf: Place | undefined;
}

/** Base64url text with one character replaced, removed or added at `at`. */
function mutate(token: string, at: number, char: number, how: 'replace' | 'drop' | 'add'): string {
  const i = at % token.length;
  const c = BASE64URL[char % BASE64URL.length] ?? 'A';
  if (how === 'drop') return token.slice(0, i) + token.slice(i + 1);
  return token.slice(0, i) + c + token.slice(how === 'replace' ? i + 1 : i);
}

/** A token for `place` signed with the app's secret around `claims`, which may break any rule. */
function signed(place: Place, claims: (payload: Record<string, unknown>) => unknown): string {
  const [body = ''] = place.token.split('.');
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  const text = Buffer.from(JSON.stringify(claims(payload))).toString('base64url');
  return `${text}.${createHmac('sha256', SECRET).update(text).digest('base64url')}`;
}

/**
 * Property-based: random sequences of requests (tenant headers valid,
 * unknown and malformed; tokens current, mutated, expired, malformed or
 * from another tenant; random JSON and raw bodies; random query strings)
 * against two tenants and the default database, each holding a user of one
 * name (and, in the two tenants, one id). Every run checks: no 5xx; no
 * write with a token from another tenant; the posts of every database a
 * write went to, read straight from it, exactly what the app's answers say;
 * no scope or connection left in use. At the end: every database's posts
 * and balances, the app still serving, and every connection closed with it.
 */
export function fuzzCases(ctx: AppContext): void {
  it(`survives ${RUNS} runs of random requests across tenants: no 5xx, no cross-tenant read or write, nothing left open`, async () => {
    const { base, strategy, applicationName } = await ctx.serve({ secret: SECRET });
    // One name in every place: a token's user check alone would then accept
    // another tenant's token, so only the tenant binding stands in the way.
    const username = `fuzzer-${randomBytes(3).toString('hex')}`;
    const places = [
      await watch(undefined),
      await watch(`fz-a-${randomBytes(3).toString('hex')}`),
      await watch(`fz-b-${randomBytes(3).toString('hex')}`),
    ];
    const [, a, b] = places as [Place, Place, Place];
    // The attack the fuzzer looks for: one user id valid in two tenants.
    expect(a.userId).toBe(b.userId);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const statuses = new Map<number, number>();
    let requests = 0;
    let runs = 0;

    const placeArb = fc.constantFrom(...places);
    const tenantArb = fc.oneof(
      { weight: 10, arbitrary: placeArb.map((place) => place.tenant) },
      { weight: 1, arbitrary: fc.string({ maxLength: 70 }) },
      { weight: 1, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,12}$/) },
    );
    /** Mostly the selected place's own current token, so that writes get through and are checked. */
    const tokenArb = (own: Place | undefined) =>
      fc.oneof(
        ...(own
          ? [
              {
                weight: 12,
                arbitrary: fc
                  .constantFrom('Bearer ', 'bearer ', 'BEARER  ')
                  .map((scheme): Sent => ({ header: `${scheme}${own.token}`, tokenOf: own })),
              },
            ]
          : []),
        { weight: 2, arbitrary: fc.constant<Sent>({ header: undefined, tokenOf: undefined }) },
        {
          // Any place's token, mostly another tenant's.
          weight: 4,
          arbitrary: fc
            .tuple(placeArb, fc.constantFrom('Bearer ', 'bearer ', 'BEARER  '))
            .map(
              ([place, scheme]): Sent => ({ header: `${scheme}${place.token}`, tokenOf: place }),
            ),
        },
        {
          weight: 3,
          arbitrary: fc
            .tuple(placeArb, fc.nat(), fc.nat(), fc.constantFrom('replace', 'drop', 'add'))
            .map(([place, at, char, how]): Sent => {
              const token = mutate(place.token, at, char, how as 'replace' | 'drop' | 'add');
              return {
                header: `Bearer ${token}`,
                tokenOf: token === place.token ? place : undefined,
              };
            }),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(
              placeArb,
              fc.constantFrom<(p: Record<string, unknown>) => unknown>(
                (p) => ({ ...p, exp: Math.floor(Date.now() / 1000) - 60 }),
                ({ exp: _, ...p }) => p,
                (p) => ({ ...p, exp: String(p.exp) }),
                (p) => ({ ...p, ten: 'fz-elsewhere' }),
                (p) => ({ ...p, iss: 'another-deployment' }),
                (p) => ({ ...p, sub: -1 }),
                () => 'not an object',
              ),
            )
            .map(
              ([place, claims]): Sent => ({
                header: `Bearer ${signed(place, claims)}`,
                tokenOf: undefined,
              }),
            ),
        },
        {
          weight: 1,
          arbitrary: fc
            .string({ maxLength: 60 })
            .map((text): Sent => ({ header: `Bearer ${text}`, tokenOf: undefined })),
        },
      );
    const idArb = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(...places.flatMap((place) => [...place.posts.keys()].slice(-3))),
      },
      { weight: 1, arbitrary: fc.integer({ min: -2, max: 100_000 }) },
    );
    const segmentArb = fc.oneof(
      { weight: 4, arbitrary: idArb.map(String) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map(encodeURIComponent) },
    );
    // Small counts: /queries and /updates at their cap of 500 (each query on
    // a fresh connection, for per-query) would cost more than the rest of
    // the run; the benchmark cases check the cap itself.
    const queryArb = fc.oneof(
      fc.integer({ min: -3, max: 16 }).map(String),
      fc.constantFrom('', '1.5', '1e1', '0x10', '+3', '%31', '-0', '%zz'),
      fc.stringMatching(/^[a-z%&=[\]]{0,12}$/),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const text = fc.oneof(
      fc.string({ maxLength: 24 }),
      fc.string({ maxLength: 8, unit: 'binary' }),
    );
    type Body = Pick<CallOptions, 'json' | 'raw' | 'headers'>;
    const anyBody: fc.Arbitrary<Body> = fc.oneof(
      fc.constant({}),
      fc.record({ username: text, password: text }, { requiredKeys: [] }).map((json) => ({ json })),
      fc
        .record({
          // Unknown ids and real ones, but none of the fixed accounts: see FIXED_ACCOUNTS.
          from: fc.oneof(
            fc.constantFrom(-1, 0, ACCOUNTS + 1),
            fc.integer({ min: FIXED_ACCOUNTS + 1, max: ACCOUNTS }),
            text,
          ),
          to: fc.integer({ min: -1, max: 102 }),
          amount: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double(), text),
        })
        .map((json) => ({ json })),
      fc.jsonValue({ maxDepth: 3 }).map((json) => ({ json })),
      fc
        .string({ maxLength: 40 })
        .map((raw) => ({ raw, headers: { 'content-type': 'application/json' } })),
    );
    /** Mostly a post a route would take, so that writes get through and are checked. */
    const postBody: fc.Arbitrary<Body> = fc.oneof(
      { weight: 4, arbitrary: fc.record({ title: text, body: text }).map((json) => ({ json })) },
      { weight: 1, arbitrary: anyBody },
    );
    const route = (
      methods: string[],
      path: fc.Arbitrary<string>,
      body: fc.Arbitrary<Body> = anyBody,
    ): fc.Arbitrary<[string, string, Body]> => fc.tuple(fc.constantFrom(...methods), path, body);
    const routeArb = fc.oneof(
      { weight: 3, arbitrary: route(['GET', 'POST'], fc.constant('/posts'), postBody) },
      {
        weight: 4,
        arbitrary: route(
          ['GET', 'PUT', 'DELETE', 'PATCH'],
          segmentArb.map((segment) => `/posts/${segment}`),
          postBody,
        ),
      },
      {
        weight: 2,
        arbitrary: route(['POST', 'GET'], fc.constantFrom('/auth/login', '/auth/register')),
      },
      {
        weight: 2,
        arbitrary: route(
          ['GET'],
          fc
            .tuple(
              fc.constantFrom('/db', '/queries', '/updates', '/whoami', '/accounts/total'),
              queryArb,
            )
            .map(([path, query]) => `${path}?queries=${query}`),
        ),
      },
      { weight: 1, arbitrary: route(['POST', 'GET'], fc.constant('/transfer')) },
      {
        weight: 1,
        arbitrary: route(
          ['GET', 'POST', 'DELETE'],
          fc.string({ maxLength: 20 }).map((segment) => `/${encodeURIComponent(segment)}`),
        ),
      },
    );
    const attemptArb: fc.Arbitrary<Attempt> = fc
      .tuple(routeArb, tenantArb)
      .chain(([route, tenant]) => {
        const place = places.find((candidate) => candidate.tenant === tenant);
        return tokenArb(place).map((token) => ({ route, tenant, place, token }));
      })
      .map(({ route: [method, path, body], tenant, place, token }) => ({
        [fc.toStringMethod]: () =>
          `${method} ${path} x-tenant=${JSON.stringify(tenant)} authorization=${JSON.stringify(token.header)} ${JSON.stringify(body)}`,
        method,
        path,
        place,
        tokenOf: token.tokenOf,
        options: {
          ...body,
          agent,
          headers: {
            ...body.headers,
            ...(tenant === undefined ? {} : { 'x-tenant': tenant }),
            ...(token.header === undefined ? {} : { authorization: token.header }),
          },
        },
      }));

    try {
      await fc.assert(
        fc.asyncProperty(fc.array(attemptArb, { minLength: 1, maxLength: 8 }), async (attempts) => {
          runs += 1;
          const written = new Set<Place>();
          for (const attempt of attempts) {
            const response = await call(base, attempt.method, attempt.path, attempt.options);
            requests += 1;
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            check(attempt, response);
            if (attempt.place && attempt.method !== 'GET') written.add(attempt.place);
          }
          // Every database a write went to; all of them once more at the end.
          for (const place of written) await expectStored(place);
          await expect.poll(() => strategy.stats().scopesOpen).toBe(0);
          expect(strategy.stats().active).toBe(0);
        }),
        // The databases carry each run's writes into the next, so a failing
        // run cannot be replayed smaller: report the first failure as it was.
        { numRuns: RUNS, endOnFailure: true },
      );
      for (const place of places) {
        await expectStored(place);
        await expectBalanced(place);
      }
      expect((await call(base, 'GET', '/health')).status).toBe(200);
      expect((await call(base, 'GET', '/db')).status).toBe(200);
      agent.destroy();
      // Every connection the app opened, in every tenant, closes with it.
      await strategy.close();
      const { opened, closed } = strategy.stats();
      expect(closed).toBe(opened);
      if (ctx.dialect === 'postgres') {
        await expect
          .poll(async () => (await backends(ctx.url, { applicationName })).length)
          .toBe(0);
      }
    } finally {
      agent.destroy();
      const counts = [...statuses].sort(([x], [y]) => x - y).map(([s, n]) => `${s}: ${n}`);
      console.log(
        `fuzz ${ctx.spec.name} on ${ctx.dialect}: ${runs} runs, ${requests} requests (${counts.join(', ')})`,
      );
    }

    /** The response-level properties; the database-level ones are expectStored's. */
    function check(attempt: Attempt, response: CallResult): void {
      const label = `${attempt.method} ${attempt.path} ${JSON.stringify(attempt.options.headers)} ${JSON.stringify(attempt.options.json ?? attempt.options.raw)} -> ${response.status} ${JSON.stringify(response.body)}`;
      expect(response.status, label).toBeGreaterThanOrEqual(200);
      expect(response.status, label).toBeLessThan(500);
      const write = /^\/posts(\/|$)/.test(attempt.path) && attempt.method !== 'GET';
      if (response.status >= 300 || !attempt.place) return;
      const { place } = attempt;
      if (write) {
        // Only a current token of this very tenant writes here.
        expect(attempt.tokenOf, label).toBe(place);
        if (attempt.method === 'DELETE') {
          const id = Number(attempt.path.slice('/posts/'.length));
          expect(place.posts.get(id)?.author_id, label).toBe(place.userId);
          place.posts.delete(id);
        } else {
          const post = response.body as PostRow & { id: number };
          if (attempt.method === 'PUT')
            expect(place.posts.get(post.id)?.author_id, label).toBe(place.userId);
          expect(post.author_id, label).toBe(place.userId);
          place.posts.set(post.id, {
            title: post.title,
            body: post.body,
            author_id: post.author_id,
          });
        }
      } else if (attempt.method === 'GET' && attempt.path === '/posts') {
        const listed = (response.body as (PostRow & { id: number })[]).map((post) => [
          post.id,
          post.title,
        ]);
        const expected = [...place.posts].map(([id, post]) => [id, post.title]);
        expect(sorted(listed), label).toEqual(sorted(expected));
      } else if (attempt.method === 'GET' && attempt.path.startsWith('/posts/')) {
        const post = response.body as PostRow & { id: number };
        expect(place.posts.get(post.id)?.title, label).toBe(post.title);
      }
    }

    /** Reads `place`'s posts straight from its database: they must be exactly the model's. */
    async function expectStored(place: Place): Promise<void> {
      const rows = await postsIn(place.url);
      expect(rows, `posts in ${place.label}`).toEqual(
        new Map([...place.posts].sort(([x], [y]) => x - y)),
      );
    }

    /** Transfers, whatever they were sent, moved money only within a place. */
    async function expectBalanced(place: Place): Promise<void> {
      const [total] = await ctx.adminQuery<{ total: number | string }>(
        'select sum(balance) as total from account',
        [],
        place.url,
      );
      expect(Number(total?.total), `accounts total in ${place.label}`).toBe(100_000);
    }

    /** The default database, or a new tenant, with a user, its token and one post. */
    async function watch(tenant: string | undefined): Promise<Place> {
      if (tenant !== undefined) await createTenant(ctx, base, tenant);
      const headers: Record<string, string> = tenant === undefined ? {} : { 'x-tenant': tenant };
      const credentials = { username, password: 'pw' };
      const registered = await call(base, 'POST', '/auth/register', { json: credentials, headers });
      const login = await call(base, 'POST', '/auth/login', { json: credentials, headers });
      const { token } = login.body as { token: string };
      const label = tenant ?? 'the default database';
      const posted = await call(base, 'POST', '/posts', {
        json: { title: `sentinel of ${label}`, body: 'x' },
        headers: { ...headers, authorization: `Bearer ${token}` },
      });
      expect(posted.status).toBe(201);
      const url = tenant === undefined ? ctx.url : tenantDatabaseUrl(ctx, tenant);
      return {
        label,
        tenant,
        url,
        userId: (registered.body as { id: number }).id,
        token,
        posts: await postsIn(url),
      };
    }

    async function postsIn(url: string): Promise<Map<number, PostRow>> {
      const rows = await ctx.adminQuery<PostRow & { id: number | string }>(
        'select id, title, body, author_id from post order by id',
        [],
        url,
      );
      return new Map(
        rows.map((row) => [
          Number(row.id),
          { title: row.title, body: row.body, author_id: Number(row.author_id) },
        ]),
      );
    }
  }, 240_000);
}

function sorted(pairs: unknown[][]): unknown[][] {
  return pairs
    .map((pair) => JSON.stringify(pair))
    .sort()
    .map((pair) => JSON.parse(pair));
}
