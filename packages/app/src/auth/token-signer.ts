import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { HttpError } from '../http/http-error.js';
import { DEFAULT_TENANT, requestTenant } from './request-tenant.js';

/** Who a token says the caller is. */
export interface TokenUser {
  readonly id: number;
  readonly username: string;
}

interface Payload {
  /** The deployment that signed it. */
  readonly iss: string;
  /** The tenant it was signed for; DEFAULT_TENANT for the default database. */
  readonly ten: string;
  readonly sub: number;
  readonly name: string;
  /** Expiry, in seconds since the epoch. */
  readonly exp: number;
}

export interface TokenSignerOptions {
  /** The HMAC key. Default: a random secret for this process, so tokens die with it. */
  readonly secret?: string | undefined;
  /**
   * Names the deployment in every token, and refuses tokens naming another:
   * two deployments that share a secret still cannot use each other's tokens.
   */
  readonly issuer: string;
}

/** Drawn once per process: without APP_SECRET, tokens stop working when the process restarts. */
const PROCESS_SECRET = randomBytes(32);
const TOKEN_SECONDS = 12 * 60 * 60;
const MAC_BYTES = 32;
const INVALID = 'The token is invalid or expired: log in again (POST /auth/login).';

/**
 * Stateless bearer tokens: `base64url(payload).base64url(hmac)`, the payload
 * naming the deployment, the tenant, the user and the expiry. Checking one
 * needs the secret and no database, so authentication never opens a
 * connection; the price is that a token cannot be revoked before it expires
 * (routes that act for the user check that it still exists).
 *
 * Verification is strict: only the exact text sign() writes is accepted.
 * base64url's last character carries spare bits, so decoding alone would
 * let several strings verify as one token.
 */
export class TokenSigner {
  readonly #secret: string | Buffer;
  readonly #issuer: string;

  constructor(options: TokenSignerOptions) {
    this.#secret = options.secret ?? PROCESS_SECRET;
    this.#issuer = options.issuer;
  }

  /** A token for `user` in the request's tenant (its `x-tenant`, or the default database). */
  sign(user: TokenUser, req: Request): string {
    const payload: Payload = {
      iss: this.#issuer,
      ten: requestTenant(req) ?? DEFAULT_TENANT,
      sub: user.id,
      name: user.username,
      exp: Math.floor(Date.now() / 1000) + TOKEN_SECONDS,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.#mac(body).toString('base64url')}`;
  }

  /**
   * The user of the request's `Authorization: Bearer <token>` (scheme name in
   * any case), if the token was signed here for the request's tenant and has
   * not expired; a 401 saying what to do otherwise, never a 500.
   */
  userOf(req: Request): TokenUser {
    const header = req.get('authorization');
    if (!header) {
      throw new HttpError(
        401,
        'Log in first: send Authorization: Bearer <token from POST /auth/login>.',
      );
    }
    const match = /^bearer +([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+) *$/i.exec(header);
    const payload = match?.[1] && match[2] ? this.#verify(match[1], match[2]) : undefined;
    if (!payload || payload.exp * 1000 <= Date.now()) throw new HttpError(401, INVALID);
    if (payload.iss !== this.#issuer) {
      throw new HttpError(
        401,
        'This token was issued by another deployment: log in here (POST /auth/login).',
      );
    }
    if (payload.ten !== (requestTenant(req) ?? DEFAULT_TENANT)) {
      throw new HttpError(
        401,
        'This token was issued for another tenant. Log in to this one (POST /auth/login with ' +
          'the same x-tenant header) and use that token here.',
      );
    }
    return { id: payload.sub, username: payload.name };
  }

  /** The payload, if `body.mac` is exactly a token this secret signed; undefined otherwise. */
  #verify(body: string, mac: string): Payload | undefined {
    const given = canonical(mac);
    const expected = this.#mac(body);
    if (given?.length !== MAC_BYTES || !timingSafeEqual(given, expected)) return undefined;
    const text = canonical(body);
    if (!text) return undefined;
    let payload: unknown;
    try {
      payload = JSON.parse(text.toString('utf8'));
    } catch {
      return undefined;
    }
    return isPayload(payload) ? payload : undefined;
  }

  #mac(body: string): Buffer {
    return createHmac('sha256', this.#secret).update(body).digest();
  }
}

/** The bytes `text` decodes to, if encoding them again gives `text` back; undefined otherwise. */
function canonical(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** Every field present with its type: a token without a numeric `exp` must not live forever. */
function isPayload(value: unknown): value is Payload {
  if (typeof value !== 'object' || value === null) return false;
  const { iss, ten, sub, name, exp } = value as Record<string, unknown>;
  return (
    typeof iss === 'string' &&
    typeof ten === 'string' &&
    Number.isSafeInteger(sub) &&
    (sub as number) > 0 &&
    typeof name === 'string' &&
    typeof exp === 'number' &&
    Number.isFinite(exp)
  );
}
