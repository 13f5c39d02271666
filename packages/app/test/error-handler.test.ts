import type { AddressInfo } from 'node:net';
import { AcquireTimeoutError, LifetimeError, StrategyClosedError } from '@lifetimes/core';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../src/http/error-handler.js';

/** What the error handler answers when a route throws `error`, over real HTTP. */
async function answerTo(error: Error) {
  const app = express();
  app.get('/', () => {
    throw error;
  });
  app.use(errorHandler(() => {}));
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as { error: string },
    };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('errorHandler', () => {
  it.each([
    ['a lost session', new LifetimeError('SESSION_LOST', 503, 'the session broke'), '1'],
    ['a closed strategy', new StrategyClosedError('per-request'), '1'],
    ['an acquire timeout', new AcquireTimeoutError('a connection', 2500, 'Retry.'), '3'],
  ])('answers %s with 503 and Retry-After', async (_what, error, retryAfter) => {
    const answer = await answerTo(error);
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toBe(retryAfter);
    expect(answer.body.error).toBe(error.message);
  });

  it('gives no Retry-After to a lifetime error that retrying cannot fix', async () => {
    const answer = await answerTo(new LifetimeError('MISUSE', 500, 'a query ran after its scope'));
    expect(answer.status).toBe(500);
    expect(answer.retryAfter).toBeNull();
  });
});
