import { createHash } from 'node:crypto';
import type { ConnectionStrategy } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import type { Request, Response } from 'express';
import type { Transaction } from 'kysely';
import { HttpError } from './http-error.js';

/** The request header naming one logical write, so that a retry of it is recognised. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long a key and its answer are kept: a retry after that is a new write. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** 1 to 128 visible ASCII characters: a UUID fits, and no space or control character can hide in one. */
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** A write's answer: what the client was told, and what a retry with its key is told again. */
export interface WriteAnswer {
  readonly status: number;
  /** JSON; undefined for an answer without a body (204). */
  readonly body?: unknown;
}

/**
 * Runs `write` in a transaction, committed, and returns its answer. With an
 * `Idempotency-Key` header the key is claimed in that same transaction and
 * stored with the answer, so either both are durable or neither is: a retry
 * of a write that committed gets the first answer back (with
 * `Idempotent-Replayed: true`) and applies nothing; a retry of one that did
 * not gets it applied now. The key with another method, path or body is a
 * 422. Keys live in each tenant's own database and expire after 24 h. A
 * write that fails (4xx) stores nothing: it applied nothing either.
 */
export async function idempotentWrite(
  strategy: ConnectionStrategy<Database>,
  req: Request,
  write: (trx: Transaction<Database>) => Promise<WriteAnswer>,
): Promise<WriteAnswer & { readonly replayed: boolean }> {
  const key = idempotencyKeyOf(req);
  const answer = await strategy.db.transaction().execute(async (trx) => {
    if (key === undefined) return { ...(await write(trx)), replayed: false };
    const fingerprint = fingerprintOf(req);
    const now = Date.now();
    await trx.deleteFrom('idempotency_key').where('expires_at', '<=', now).execute();
    // A concurrent write with the same key waits here on PostgreSQL (the
    // uncommitted row holds the key) and then sees the first one's answer;
    // SQLite's write transaction already runs alone.
    const claimed = await trx
      .insertInto('idempotency_key')
      .values({ key, fingerprint, status: 0, response: '', expires_at: now + IDEMPOTENCY_TTL_MS })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) return replay(trx, key, fingerprint);
    const fresh = await write(trx);
    await trx
      .updateTable('idempotency_key')
      .set({
        status: fresh.status,
        response: fresh.body === undefined ? '' : JSON.stringify(fresh.body),
      })
      .where('key', '=', key)
      .execute();
    return { ...fresh, replayed: false };
  });
  await strategy.commit();
  return answer;
}

/** Sends a write's answer, marked when it is a replay. */
export function sendAnswer(
  res: Response,
  answer: WriteAnswer & { readonly replayed: boolean },
): void {
  if (answer.replayed) res.set('Idempotent-Replayed', 'true');
  res.status(answer.status);
  if (answer.body === undefined) res.end();
  else res.json(answer.body);
}

/** The request's Idempotency-Key, or undefined without one; 400 when it is malformed. */
function idempotencyKeyOf(req: Request): string | undefined {
  const key = req.headers[IDEMPOTENCY_HEADER];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HttpError(
      400,
      'Idempotency-Key must be 1 to 128 visible ASCII characters without spaces, sent once ' +
        '(a UUID is a good key): one key per logical write, the same key for its retries.',
    );
  }
  return key;
}

/** What makes two requests the same write: method, path and body. */
function fingerprintOf(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`)
    .digest('hex');
}

async function replay(
  trx: Transaction<Database>,
  key: string,
  fingerprint: string,
): Promise<WriteAnswer & { readonly replayed: boolean }> {
  const first = await trx
    .selectFrom('idempotency_key')
    .select(['fingerprint', 'status', 'response'])
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (first.fingerprint !== fingerprint) {
    throw new HttpError(
      422,
      `Idempotency-Key "${key}" was first used with another request (method, path or body); a ` +
        'retry must repeat its request exactly. Use a new key for a new write.',
    );
  }
  return {
    status: first.status,
    ...(first.response === '' ? {} : { body: JSON.parse(first.response) as unknown }),
    replayed: true,
  };
}
