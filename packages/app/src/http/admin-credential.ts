import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';

/** `Bearer <token>`, the scheme name in any case (RFC 9110 makes it case-insensitive). */
const BEARER = /^bearer +(\S+) *$/i;

/**
 * Lets a request through only with `Authorization: Bearer <adminToken>`:
 * 403 when no token is configured (the route is off, and says how to turn
 * it on), 401 when the credential is missing or wrong. The comparison takes
 * the same time whatever the guess, so the token cannot be found byte by byte.
 */
export function adminCredential(adminToken: string | undefined, route: string): RequestHandler {
  const expected = adminToken === undefined ? undefined : digest(adminToken);
  return (req, res, next) => {
    if (expected === undefined) {
      throw new HttpError(
        403,
        `${route} is disabled: it creates databases, so it needs an admin credential. Start the ` +
          'app with ADMIN_TOKEN=<a long random secret> and send Authorization: Bearer <that secret>.',
      );
    }
    const presented = BEARER.exec(req.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      throw new HttpError(
        401,
        presented === undefined
          ? `${route} needs the admin credential: send Authorization: Bearer <ADMIN_TOKEN>.`
          : `The admin credential is wrong: send the app's ADMIN_TOKEN as Authorization: Bearer <ADMIN_TOKEN>.`,
      );
    }
    next();
  };
}

/** Equal-length inputs for timingSafeEqual, whatever was presented. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
