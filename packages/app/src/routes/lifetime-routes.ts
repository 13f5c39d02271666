import { setTimeout as sleep } from 'node:timers/promises';
import { type ConnectionStrategy, whichConnection } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import { Router } from 'express';
import { clampedInteger } from '../http/clamped-integer.js';
import type { LiveFeed } from '../live/live-feed.js';
import type { RequestCounter } from '../request-counter.js';

const MAX_SLOW_MS = 5000;

/** What the strategy does, made visible: which connection, held how long, counted how. */
export function lifetimeRoutes(
  strategy: ConnectionStrategy<Database>,
  requests: RequestCounter,
  live?: LiveFeed,
): Router {
  const router = Router();

  // No query: a lazy strategy opens nothing for this request.
  router.get('/health', (_req, res) => {
    res.json({ ok: true });
  });

  router.get('/whoami', async (req, res) => {
    const first = await whichConnection(strategy.db, strategy.dialect);
    const second = await whichConnection(strategy.db, strategy.dialect);
    res.json({
      request: requests.numberOf(req),
      strategy: strategy.name,
      connections: [first, second],
    });
  });

  // A connection-holding strategy keeps its connection through the wait;
  // the connections it reports show whether it did.
  router.get('/slow', async (req, res) => {
    const ms = clampedInteger(req.query.ms, 0, MAX_SLOW_MS, 0);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const before = await whichConnection(strategy.db, strategy.dialect);
    try {
      await sleep(ms, undefined, { signal: gone.signal });
    } catch {
      // The client went away and its scope has ended: a second query now
      // would run after teardown (and per-request rightly refuses it).
      return;
    }
    const after = await whichConnection(strategy.db, strategy.dialect);
    res.json({ waitedMs: ms, connections: [before, after] });
  });

  // With the live view on, its viewers are counted beside the strategy's.
  router.get('/stats', (_req, res) => {
    res.json(live ? { ...strategy.stats(), live: live.stats() } : strategy.stats());
  });

  return router;
}
