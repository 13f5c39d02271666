import type { Database } from '@lifetimes/schema';
import type { MultiTenantStrategy } from '@lifetimes/tenants';
import { type Request, Router } from 'express';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { Passwords } from '../auth/password-hash.js';
import { requestTenant } from '../auth/request-tenant.js';
import type { TokenSigner } from '../auth/token-signer.js';
import { canonicalUsername, requiredPassword } from '../auth/username.js';
import { HttpError } from '../http/http-error.js';
import { JsonBody } from '../http/json-body.js';

/** What the auth routes need besides the strategy. */
export interface AuthDependencies {
  readonly tokens: TokenSigner;
  readonly passwords: Passwords;
  readonly logins: LoginLimiter;
}

/** flaskr's auth blueprint as JSON: register, and login for a bearer token bound to the request's tenant. */
export function authRoutes(
  strategy: MultiTenantStrategy<Database>,
  { tokens, passwords, logins }: AuthDependencies,
): Router {
  const router = Router();

  router.post('/auth/register', async (req, res) => {
    const { username, password } = readCredentials(req);
    // Hashed before the first query, so no connection waits on the KDF.
    const hash = await passwords.hash(password);
    try {
      // Its own transaction: in a strategy that keeps one transaction per
      // request, a failed INSERT on PostgreSQL would poison everything after
      // it; here it rolls back to a savepoint and the 409 is clean.
      const user = await strategy.db
        .transaction()
        .execute((trx) =>
          trx
            .insertInto('user')
            .values({ username, password: hash })
            .returning(['id', 'username'])
            .executeTakeFirstOrThrow(),
        );
      await strategy.commit();
      res.status(201).json(user);
    } catch (error) {
      // Insert first and catch the constraint, as flaskr does: checking
      // first would let two concurrent registrations both pass the check.
      if (isUniqueViolation(error)) {
        throw new HttpError(409, `User ${username} is already registered.`);
      }
      throw error;
    }
  });

  router.post('/auth/login', async (req, res) => {
    const { username, password } = readCredentials(req);
    // Counted before anything else: a refused attempt costs no query and no hash.
    const attempt = logins.begin(username, req.ip ?? req.socket.remoteAddress ?? 'unknown');
    // The read runs in a scope of its own, which ends (and gives its
    // connection back, in every strategy) before the slow hash: a request
    // scope would hold it across the KDF in per-request, scoped-session and
    // pooled-registry, and a burst of logins would starve every other route.
    const user = await strategy.scopeFor(requestTenant(req), () =>
      strategy.db
        .selectFrom('user')
        .select(['id', 'username', 'password'])
        .where('username', '=', username)
        .executeTakeFirst(),
    );
    if (!user) throw new HttpError(401, 'Incorrect username.');
    if (!(await passwords.verify(password, user.password))) {
      throw new HttpError(401, 'Incorrect password.');
    }
    attempt.succeeded();
    res.json({ token: tokens.sign(user, req) });
  });

  return router;
}

function readCredentials(req: Request): { username: string; password: string } {
  const body = JsonBody.of(req);
  return {
    username: canonicalUsername(body.requiredText('username', 'Username is required.')),
    password: requiredPassword(body.requiredText('password', 'Password is required.')),
  };
}

/** PostgreSQL's unique_violation, or SQLite's UNIQUE constraint failure. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
