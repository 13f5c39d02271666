import type { ConnectionStrategy } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import { Router } from 'express';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import type { TokenSigner } from '../auth/token-signer.js';
import { HttpError } from '../http/http-error.js';
import { JsonBody } from '../http/json-body.js';

/** flaskr's auth blueprint as JSON: register, and login for a bearer token. */
export function authRoutes(strategy: ConnectionStrategy<Database>, tokens: TokenSigner): Router {
  const router = Router();

  router.post('/auth/register', async (req, res) => {
    const { username, password } = readCredentials(JsonBody.of(req));
    const hash = await hashPassword(password);
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
    const { username, password } = readCredentials(JsonBody.of(req));
    const user = await strategy.db
      .selectFrom('user')
      .select(['id', 'username', 'password'])
      .where('username', '=', username)
      .executeTakeFirst();
    if (!user) throw new HttpError(401, 'Incorrect username.');
    if (!(await verifyPassword(password, user.password))) {
      throw new HttpError(401, 'Incorrect password.');
    }
    res.json({ token: tokens.sign(user) });
  });

  return router;
}

function readCredentials(body: JsonBody): { username: string; password: string } {
  return {
    username: body.requiredText('username', 'Username is required.'),
    password: body.requiredText('password', 'Password is required.'),
  };
}

/** PostgreSQL's unique_violation, or SQLite's UNIQUE constraint failure. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
