import { AcquireTimeoutError, LifetimeError } from '@lifetimes/core';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { databaseUnavailable } from './database-unavailable.js';
import { HttpError } from './http-error.js';

/** The largest JSON body any route accepts; anything bigger is a 413 before a handler runs. */
export const BODY_LIMIT = '16kb';

interface Answer {
  readonly status: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
  /** Worth a line in the log though the client was answered properly. */
  readonly logged?: boolean;
}

/** The app's last middleware: every error becomes `{"error": "..."}` with a status that says whose fault it was. */
export function errorHandler(log: (line: string) => void = console.error): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Half a response is already on the wire: only express can end it (it
    // destroys the socket), and any scope still ends on the response's close.
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = answerFor(error);
    // A 500 is a bug: its stack. An unreachable database is an operator's
    // problem: one line per request, no stack. A busy pool is neither.
    if (answer.status === 500) {
      log(
        `${req.method} ${req.originalUrl} failed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    } else if (answer.logged) {
      log(`${req.method} ${req.originalUrl}: ${answer.status}: ${answer.message}`);
    }
    if (answer.retryAfterSeconds !== undefined) {
      res.set('Retry-After', String(answer.retryAfterSeconds));
    }
    res.status(answer.status).json({ error: answer.message });
  };
}

/** The last route: a path and method no route serves. */
export function notFound(): RequestHandler {
  return (req, res) => {
    res.status(404).json({
      error: `No route serves ${req.method} ${req.path}: see the app's README for the routes it serves.`,
    });
  };
}

function answerFor(error: unknown): Answer {
  if (error instanceof HttpError) {
    const answer = { status: error.status, message: error.message };
    const retryAfterSeconds = error.retryAfterSeconds;
    return retryAfterSeconds === undefined ? answer : { ...answer, retryAfterSeconds };
  }
  if (error instanceof AcquireTimeoutError) {
    return {
      status: error.status,
      message: error.message,
      retryAfterSeconds: error.retryAfterSeconds,
    };
  }
  if (error instanceof LifetimeError) {
    const answer = { status: error.status, message: error.message, logged: error.status >= 500 };
    // A 503 says trying again can work (a lost session, a strategy closing
    // for a restart), so it says when.
    return error.status === 503 ? { ...answer, retryAfterSeconds: 1 } : answer;
  }
  const unavailable = databaseUnavailable(error);
  if (unavailable !== undefined) {
    return {
      status: 503,
      message:
        `${unavailable}. Retry in a moment. A write cut off mid-way may or may not have been ` +
        'applied: retry it with the same Idempotency-Key header, and it is applied exactly once.',
      retryAfterSeconds: 1,
      logged: true,
    };
  }
  const status = clientStatus(error);
  if (status !== undefined) {
    const { type, message } = error as { type?: unknown; message?: unknown };
    if (type === 'entity.parse.failed') {
      return {
        status,
        message: `The body is not valid JSON (${String(message)}). Send a JSON object with Content-Type: application/json.`,
      };
    }
    if (type === 'entity.too.large') {
      return {
        status,
        message: `The body is larger than the ${BODY_LIMIT} limit: send a smaller one.`,
      };
    }
    return { status, message: `The request could not be read: ${String(message)}.` };
  }
  return {
    status: 500,
    message: 'The server failed to answer this request; its log says why. Retrying may help.',
  };
}

/**
 * A 4xx that express or body-parser attached to an error they raised while
 * reading the request (bad JSON, too large, bad charset, undecodable path).
 */
function clientStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
