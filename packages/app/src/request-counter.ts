import type { Request, RequestHandler } from 'express';

/**
 * Numbers the requests of one app, so /whoami can say which request ran on
 * which connection. Kept per request in a WeakMap, never on a shared object
 * every request would overwrite.
 */
export class RequestCounter {
  readonly #numbers = new WeakMap<Request, number>();
  #last = 0;

  middleware(): RequestHandler {
    return (req, _res, next) => {
      this.#numbers.set(req, ++this.#last);
      next();
    };
  }

  /** The request's number: 1 for the app's first request. */
  numberOf(req: Request): number {
    return this.#numbers.get(req) ?? 0;
  }
}
