import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from '../http/http-error.js';

/** Who a token says the caller is. */
export interface TokenUser {
  readonly id: number;
  readonly username: string;
}

interface Payload {
  readonly sub: number;
  readonly name: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
}

/** Drawn once per process: without APP_SECRET, tokens stop working when the process restarts. */
const PROCESS_SECRET = randomBytes(32);
const TOKEN_SECONDS = 12 * 60 * 60;

/**
 * Stateless bearer tokens: `base64url(payload).base64url(hmac)`. Checking
 * one needs the secret and no database, so authentication never opens a
 * connection; the price is that a token cannot be revoked before it expires.
 */
export class TokenSigner {
  readonly #secret: string | Buffer;

  /** @param secret default: a random secret for this process. */
  constructor(secret: string | undefined) {
    this.#secret = secret ?? PROCESS_SECRET;
  }

  sign(user: TokenUser): string {
    const payload: Payload = {
      sub: user.id,
      name: user.username,
      exp: Math.floor(Date.now() / 1000) + TOKEN_SECONDS,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#mac(body).toString('base64url')}`;
  }

  /** The user of the request's `Authorization: Bearer <token>`; a 401 saying what to do otherwise. */
  userOf(req: Request): TokenUser {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
    if (!header) {
      throw new HttpError(
        401,
        'Log in first: send Authorization: Bearer <token from POST /auth/login>.',
      );
    }
    const user = match?.[1] && match[2] ? this.#verify(match[1], match[2]) : undefined;
    if (!user) {
      throw new HttpError(401, 'The token is invalid or expired: log in again (POST /auth/login).');
    }
    return user;
  }

  #verify(body: string, mac: string): TokenUser | undefined {
    const given = Buffer.from(mac, 'base64url');
    const expected = this.#mac(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    if (payload.exp * 1000 <= Date.now()) return undefined;
    return { id: payload.sub, username: payload.name };
  }

  #mac(body: string): Buffer {
    return createHmac('sha256', this.#secret).update(body).digest();
  }
}
