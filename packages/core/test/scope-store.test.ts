import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { LifetimeRecorder, ScopeStore } from '../src/authoring.js';
import { httpGet } from '../src/contract/index.js';
import { StrategyClosedError } from '../src/index.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serve(store: ScopeStore, handler: express.RequestHandler): Promise<string> {
  const app = express();
  app.use(store.middleware());
  app.get('/', handler);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const address = server.address();
  return `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}/`;
}

describe('ScopeStore', () => {
  it('gives each request its own scope, visible across awaits, ended once on close', async () => {
    const recorder = new LifetimeRecorder();
    const ends: number[] = [];
    const store = new ScopeStore(recorder, {
      start: (scope) => scope.onTeardown(() => void ends.push(scope.id)),
      refuse: () => undefined,
    });
    const url = await serve(store, async (_req, res) => {
      const before = store.current()?.id;
      await new Promise((resolve) => setTimeout(resolve, 5));
      res.json({ before, after: store.current()?.id });
    });
    const bodies = await Promise.all([1, 2, 3].map(() => httpGet(url)));
    const ids = bodies.map((b) => JSON.parse(b.body) as { before: number; after: number });
    for (const { before, after } of ids) expect(after).toBe(before);
    expect(new Set(ids.map((i) => i.before)).size).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ends.sort()).toEqual(ids.map((i) => i.before).sort());
    expect(recorder.stats().scopesOpen).toBe(0);
  });

  it('ends the scope when the client aborts, before the handler finishes', async () => {
    const recorder = new LifetimeRecorder();
    const store = new ScopeStore(recorder, { start: () => {}, refuse: () => undefined });
    let handlerDone = false;
    const url = await serve(store, async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      handlerDone = true;
      res.end();
    });
    await httpGet(url, 30);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorder.stats().scopesOpen).toBe(0);
    expect(handlerDone).toBe(false);
  });

  it('refuses new scopes with the hook error', async () => {
    const store = new ScopeStore(new LifetimeRecorder(), {
      start: () => {},
      refuse: () => new StrategyClosedError('test'),
    });
    await expect(store.run(() => 1)).rejects.toBeInstanceOf(StrategyClosedError);
    expect(store.current()).toBeUndefined();
  });
});
