import { createHmac, randomBytes } from 'node:crypto';
import { withResolvers } from '@lifetimes/databases';
import { expect, it } from 'vitest';
import type { Passwords } from '../auth/password-hash.js';
import type { AppContext } from './app-context.js';
import { type CallResult, call } from './http-call.js';
import { createTenant, tenantDatabaseUrl } from './tenant-database.js';

const SECRET = 'app-contract-secret';

interface Credentials {
  readonly username: string;
  readonly password: string;
}

function fresh(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** `text` in full-width forms (ａｂｃ－１), which NFKC folds back. */
function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

function expectRefused(response: CallResult, status: number, message: RegExp | string): void {
  const label = JSON.stringify(response.body);
  expect(response.status, label).toBe(status);
  const { error } = response.body as { error: string };
  if (typeof message === 'string') expect(error, label).toBe(message);
  else expect(error, label).toMatch(message);
}

/**
 * Who may act with a token, and how login holds up: tokens bound to their
 * tenant and deployment, checked strictly; users that must still exist;
 * usernames that cannot be spelled twice; failed logins limited; and no
 * connection held across the password hash.
 */
export function authCases(ctx: AppContext): void {
  /** Registers and logs in; returns the token's Authorization header and the user's id. */
  async function signUp(
    base: string,
    credentials: Credentials,
    headers: Record<string, string> = {},
  ): Promise<{ auth: Record<string, string>; id: number }> {
    const registered = await call(base, 'POST', '/auth/register', { json: credentials, headers });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    const login = await call(base, 'POST', '/auth/login', { json: credentials, headers });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const { token } = login.body as { token: string };
    return {
      auth: { ...headers, authorization: `Bearer ${token}` },
      id: (registered.body as { id: number }).id,
    };
  }

  it('a token works only in the tenant it was issued for: same user id elsewhere is a 401, nothing changes', async () => {
    const { base } = await ctx.serve();
    const [a, b] = [fresh('tok-a'), fresh('tok-b')];
    await createTenant(ctx, base, a);
    await createTenant(ctx, base, b);
    const owner = { username: 'owner', password: 'owner-pw' };
    const inA = await signUp(base, owner, { 'x-tenant': a });
    const inB = await signUp(base, owner, { 'x-tenant': b });
    // The attack needs one user id in two tenants: fresh databases give both id 1.
    expect(inA.id).toBe(inB.id);
    const onDefault = await signUp(base, { username: fresh('dflt'), password: 'pw' });
    const posted = await call(base, 'POST', '/posts', {
      json: { title: 'b owns this', body: 'b' },
      headers: inB.auth,
    });
    expect(posted.status).toBe(201);
    const { id } = posted.body as { id: number };

    const foreign = /^This token was issued for another tenant\./;
    const asB = (auth: Record<string, string>) => ({ ...auth, 'x-tenant': b });
    const attempts: [string, string, Record<string, string>][] = [
      ['PUT', `/posts/${id}`, asB(inA.auth)],
      ['DELETE', `/posts/${id}`, asB(inA.auth)],
      ['POST', '/posts', asB(inA.auth)],
      ['PUT', `/posts/${id}`, asB(onDefault.auth)],
      ['DELETE', `/posts/${id}`, asB(onDefault.auth)],
    ];
    for (const [method, path, headers] of attempts) {
      const response = await call(base, method, path, {
        json: { title: 'taken over', body: 'x' },
        headers,
      });
      expectRefused(response, 401, foreign);
    }
    // B's token is no good in the default database either.
    const { 'x-tenant': _, ...bOnDefault } = inB.auth;
    expectRefused(
      await call(base, 'POST', '/posts', { json: { title: 't' }, headers: bOnDefault }),
      401,
      foreign,
    );
    const rows = await ctx.adminQuery<{ id: number; title: string }>(
      'select id, title from post',
      [],
      tenantDatabaseUrl(ctx, b),
    );
    expect(rows.map((row) => ({ id: Number(row.id), title: row.title }))).toEqual([
      { id, title: 'b owns this' },
    ]);
    const inAPosts = await ctx.adminQuery('select id from post', [], tenantDatabaseUrl(ctx, a));
    expect(inAPosts).toEqual([]);
  });

  it('a valid token whose user no longer exists is a 401, never a 500', async () => {
    const { base } = await ctx.serve();
    const gone = await signUp(base, { username: fresh('gone'), password: 'pw' });
    await ctx.adminQuery(`delete from "user" where id = ${ctx.placeholder(1)}`, [gone.id]);
    for (const [method, path] of [
      ['POST', '/posts'],
      ['PUT', '/posts/1'],
      ['DELETE', '/posts/1'],
    ] as const) {
      expectRefused(
        await call(base, method, path, { json: { title: 't' }, headers: gone.auth }),
        401,
        /no longer exists: register/,
      );
    }
  });

  it('accepts a token only exactly as signed: any scheme case, no spare-bit variant, a numeric expiry, never a 500', async () => {
    const { base } = await ctx.serve({ secret: SECRET });
    const { auth } = await signUp(base, { username: fresh('strict'), password: 'pw' });
    const token = (auth.authorization ?? '').slice('Bearer '.length);
    const [body = '', mac = ''] = token.split('.');
    const post = (authorization: string) =>
      call(base, 'POST', '/posts', { json: { title: 't' }, headers: { authorization } });
    expect((await post(`bearer ${token}`)).status).toBe(201);

    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac.at(-1) ?? '');
    for (const spare of [1, 2, 3]) {
      const variant = `${mac.slice(0, -1)}${alphabet[last ^ spare]}`;
      expectRefused(await post(`Bearer ${body}.${variant}`), 401, /invalid or expired/);
    }

    // Payloads signed with the app's own secret, to reach the checks behind the MAC.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const signed = (payload: string) => {
      const encoded = Buffer.from(payload).toString('base64url');
      return `Bearer ${encoded}.${createHmac('sha256', SECRET).update(encoded).digest('base64url')}`;
    };
    const { exp, ...withoutExpiry } = claims;
    expect(typeof exp).toBe('number');
    for (const payload of [
      JSON.stringify(withoutExpiry),
      JSON.stringify({ ...claims, exp: String(exp) }),
      JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 1 }),
      'not json at all',
      '"a string"',
    ]) {
      const response = await post(signed(payload));
      expect(response.status, payload).toBe(401);
      expect(response.body).toEqual({ error: expect.stringMatching(/invalid or expired/) });
    }
  });

  it('one user per name, however it is spelled; invisible, mixed-alphabet and blank names refused', async () => {
    const { base } = await ctx.serve();
    const name = fresh('Look');
    const created = await call(base, 'POST', '/auth/register', {
      json: { username: name, password: 'pw' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(Number), username: name.toLowerCase() });
    const register = (username: string, password = 'pw') =>
      call(base, 'POST', '/auth/register', { json: { username, password } });
    for (const spelling of [
      name.toUpperCase(),
      name.toLowerCase(),
      `${name} `,
      `\u3000${name}`,
      fullWidth(name),
    ]) {
      expectRefused(
        await register(spelling),
        409,
        `User ${name.toLowerCase()} is already registered.`,
      );
    }
    const accented = fresh('José');
    expect((await register(accented.normalize('NFC'))).status).toBe(201);
    expect((await register(accented.normalize('NFD'))).status).toBe(409);

    expectRefused(await register(`\u0430${name.slice(1)}`), 400, /one alphabet/);
    expectRefused(await register(`${name.slice(0, 2)}\u200b${name.slice(2)}`), 400, /invisible/);
    expectRefused(await register(`${name}\u202e`), 400, /invisible/);
    expectRefused(await register(' \t '), 400, 'Username is required.');
    expectRefused(await register(fresh('blank'), '   '), 400, 'Password is required.');

    const login = await call(base, 'POST', '/auth/login', {
      json: { username: ` ${fullWidth(name.toUpperCase())}`, password: 'pw' },
    });
    expect(login.status).toBe(200);
  });

  it('limits failed logins per username and client, 429 with Retry-After; correct logins are never limited', async () => {
    const { base } = await ctx.serve({
      loginLimits: { perUserAndClient: 3, perClient: 6, windowMs: 60_000 },
    });
    const victim = { username: fresh('victim'), password: 'right' };
    const regular = { username: fresh('regular'), password: 'right' };
    await signUp(base, victim);
    await signUp(base, regular);
    const login = (credentials: Credentials) =>
      call(base, 'POST', '/auth/login', { json: credentials });

    // Concurrent guesses: each counts from its start, so only the limit's worth get through.
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login({ ...victim, password: `guess-${i}` })),
    );
    const statuses = guesses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(3).fill(401), ...Array(9).fill(429)]);
    const refused = guesses.find((response) => response.status === 429);
    const seconds = Number(refused?.headers['retry-after']);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(refused?.body).toEqual({
      error: expect.stringMatching(
        /^Too many failed logins for .+ from this address: try again in \d+ s/,
      ),
    });
    // Locked for this client, even with the right password.
    expect((await login(victim)).status).toBe(429);

    // More correct logins than either limit.
    for (let i = 0; i < 8; i += 1) expect((await login(regular)).status).toBe(200);

    // Failures across usernames spend the client's own allowance.
    for (let i = 0; i < 3; i += 1) {
      expect((await login({ username: fresh('nobody'), password: 'x' })).status).toBe(401);
    }
    expectRefused(
      await login({ username: fresh('nobody'), password: 'x' }),
      429,
      /^Too many failed logins from this address/,
    );
  });

  it('login reads the user, gives the connection back, then hashes: none is held across the KDF', async () => {
    const atHash = withResolvers();
    const gate = withResolvers();
    // Checking is held at the gate, so the test looks while the hash "runs".
    const passwords: Passwords = {
      hash: async (password) => `plain$${password}`,
      verify: async (password, stored) => {
        atHash.resolve();
        await gate.promise;
        return stored === `plain$${password}`;
      },
    };
    const { base, strategy } = await ctx.serve({ passwords, maxConnections: 1 });
    const credentials = { username: fresh('kdf'), password: 'pw' };
    expect((await call(base, 'POST', '/auth/register', { json: credentials })).status).toBe(201);
    const login = call(base, 'POST', '/auth/login', { json: credentials });
    await atHash.promise;
    try {
      expect(strategy.stats().active).toBe(0);
      // The app's only connection is free: another request is served meanwhile.
      expect((await call(base, 'GET', '/db')).status).toBe(200);
    } finally {
      gate.resolve();
    }
    expect((await login).status).toBe(200);
  });
}
