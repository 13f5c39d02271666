import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { eventually } from '@lifetimes/core/contract';
import { describe, expect, it } from 'vitest';
import { MAX_BUFFERED_BYTES, MAX_VIEWERS } from '../live/live-feed.js';
import type { AppContext, ServedApp } from './app-context.js';
import { call, getJson } from './http-call.js';
import { LiveStream, type StreamedEvent, StreamRefused } from './live-stream.js';
import { startEntry } from './start-entry.js';

interface LiveStats {
  scopesOpen: number;
  live: { viewers: number; dropped: number; refused: number };
}

/**
 * Counts the strategy's listeners by wrapping its real listen(): how many
 * subscriptions are open now. The feed subscribes at its first viewer.
 */
function countListeners(strategy: ServedApp['strategy']): () => number {
  let open = 0;
  const listen = strategy.listen.bind(strategy);
  strategy.listen = (listener) => {
    open++;
    const stop = listen(listener);
    let stopped = false;
    return () => {
      if (!stopped) open--;
      stopped = true;
      stop();
    };
  };
  return () => open;
}

const EVENT_KEYS = new Set(['type', 't', 'scope', 'conn', 'engine']);
/** Two events (start, end) of about 50 bytes each: some 200 KB a batch. */
const SCOPES_PER_BATCH = 2000;

/** The events of one connection, in the order they streamed. */
function lifeOf(events: readonly StreamedEvent[], conn: unknown): string[] {
  return events.filter((event) => event.conn === conn).map((event) => event.type);
}

/** GET /live and its event stream: served only with LIVE_VIEW, ids and timings only, bounded per viewer. */
export function liveCases(ctx: AppContext): void {
  const { spec } = ctx;

  describe('live view', () => {
    it('without LIVE_VIEW, /live and /live/events are 404 like any unknown route; with it, the page is served', async () => {
      const off = await ctx.serve();
      for (const path of ['/live', '/live/events', '/live/page.js']) {
        const { status, body } = await call(off.base, 'GET', path);
        expect(status, path).toBe(404);
        expect(body, path).toEqual({ error: expect.stringMatching(/^No route serves GET \/live/) });
      }
      expect(await getJson(off.base, '/stats')).not.toHaveProperty('live');

      const on = await ctx.serve({ liveView: true });
      const page = await call(on.base, 'GET', '/live');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(page.body).toMatch(/<script type="module" src="\/live\/page\.js"><\/script>/);
      for (const [path, type] of [
        ['/live/page.js', /javascript/],
        ['/live/page.css', /^text\/css/],
      ] as const) {
        const asset = await call(on.base, 'GET', path);
        expect(asset.status, path).toBe(200);
        expect(asset.headers['content-type'], path).toMatch(type);
      }
    });

    it(`streams a request's ${spec.pools ? 'acquire and release, and the pool opening and closing its connections' : 'connections opened, acquired, released and closed'}, with ids and timings and never a value from a query`, async () => {
      const served = await ctx.serve({ liveView: true });
      const stream = await LiveStream.open(served.base);
      try {
        // The default database by its name alone (the page tells it from
        // the tenants' databases by it), never its path, host or user.
        const database =
          ctx.dialect === 'sqlite'
            ? basename(ctx.url.slice('sqlite:'.length))
            : new URL(ctx.url).pathname.slice(1);
        expect(stream.hello).toEqual({
          strategy: spec.name,
          dialect: ctx.dialect,
          database,
          now: expect.any(Number),
        });
        // The stream runs outside any scope: the only one open is /stats's own.
        expect(await getJson<LiveStats>(served.base, '/stats')).toMatchObject({
          scopesOpen: 1,
          live: { viewers: 1 },
        });
        // A value that travels as a query parameter and is stored in a row.
        const marker = `live${randomBytes(6).toString('hex')}`;
        expect((await call(served.base, 'GET', '/whoami')).status).toBe(200);
        const registered = await call(served.base, 'POST', '/auth/register', {
          json: { username: marker, password: `${marker}-secret` },
        });
        expect(registered.status, JSON.stringify(registered.body)).toBe(201);
        // Pools close their connections only with the strategy.
        await served.strategy.close();

        const acquired = () => [
          ...new Set(stream.events.filter((e) => e.type === 'acquire').map((e) => e.conn)),
        ];
        await eventually('every connection acquired was closed, and the stream says so', () => {
          const conns = acquired();
          return (
            conns.length > 0 && conns.every((conn) => lifeOf(stream.events, conn).includes('close'))
          );
        });
        for (const conn of acquired()) {
          const life = lifeOf(stream.events, conn);
          expect(life[0], `${conn}: ${life.join(' ')}`).toBe('open');
          expect(life.at(-1), `${conn}: ${life.join(' ')}`).toBe('close');
          expect(life.filter((type) => type === 'acquire').length).toBe(
            life.filter((type) => type === 'release').length,
          );
        }
        const types = new Set(stream.events.map((event) => event.type));
        for (const type of ['scope-start', 'scope-end', 'open', 'acquire', 'query', 'release']) {
          expect(types, type).toContain(type);
        }
        for (const event of stream.events) {
          for (const key of Object.keys(event)) expect(EVENT_KEYS, key).toContain(key);
          expect(event.t).toEqual(expect.any(Number));
        }
        expect(stream.text).not.toContain(marker);
        expect(stream.text).not.toMatch(/select|insert|password|sqlite:|postgres:/i);
      } finally {
        stream.close();
      }
    });

    it(`drops a viewer that stops reading once ${MAX_BUFFERED_BYTES / 1024 / 1024} MiB wait for it in the server, and no other viewer`, async () => {
      const served = await ctx.serve({ liveView: true });
      const stalled = await LiveStream.open(served.base, { read: false });
      const reading = await LiveStream.open(served.base);
      try {
        const dropped = async () => (await getJson<LiveStats>(served.base, '/stats')).live.dropped;
        const ended = () => reading.events.filter((event) => event.type === 'scope-end').length;
        // Scopes with no work in them are events too, and the quickest to
        // make on every strategy: bursts of them until the stalled viewer
        // has filled its buffers (the client's, the kernel's, then the
        // server's, which the bound stops). The reading viewer reads each
        // burst before the next, as a viewer in another process keeps up.
        for (let batch = 1; batch <= 500 && (await dropped()) === 0; batch++) {
          await Promise.all(
            Array.from({ length: SCOPES_PER_BATCH }, () => served.strategy.scope(() => {})),
          );
          await eventually(
            'the reading viewer read the burst',
            () => ended() >= batch * SCOPES_PER_BATCH,
          );
        }
        expect(await getJson<LiveStats>(served.base, '/stats')).toMatchObject({
          live: { viewers: 1, dropped: 1 },
        });
        // The server hung up on it: reading again finds the end of the stream.
        stalled.resume();
        await stalled.ended;
        expect((await call(served.base, 'GET', '/db')).status).toBe(200);
        await eventually('the reading viewer still receives events', () =>
          reading.events.some((event) => event.type === 'query'),
        );
      } finally {
        stalled.close();
        reading.close();
      }
    }, 120_000);

    it('a viewer that hangs up is forgotten at once, and with none left the strategy has no listener', async () => {
      const served = await ctx.serve({ liveView: true });
      const listeners = countListeners(served.strategy);
      const first = await LiveStream.open(served.base);
      const second = await LiveStream.open(served.base);
      // One subscription serves every viewer.
      expect(listeners()).toBe(1);
      expect((await getJson<LiveStats>(served.base, '/stats')).live.viewers).toBe(2);
      first.close();
      await eventually('the first viewer is gone', async () => {
        return (await getJson<LiveStats>(served.base, '/stats')).live.viewers === 1;
      });
      expect(listeners()).toBe(1);
      second.close();
      await eventually('the last viewer is gone, and the subscription with it', async () => {
        const { live } = await getJson<LiveStats>(served.base, '/stats');
        return live.viewers === 0 && listeners() === 0;
      });
      expect((await call(served.base, 'GET', '/whoami')).status).toBe(200);
      expect((await getJson<LiveStats>(served.base, '/stats')).live).toEqual({
        viewers: 0,
        dropped: 0,
        refused: 0,
      });
      expect(listeners()).toBe(0);
    });

    it(`refuses viewer ${MAX_VIEWERS + 1} with a 503 that says why, and takes one again when another leaves`, async () => {
      const served = await ctx.serve({ liveView: true });
      const streams = await Promise.all(
        Array.from({ length: MAX_VIEWERS }, () => LiveStream.open(served.base)),
      );
      try {
        const refused = await LiveStream.open(served.base).then(
          (stream) => {
            stream.close();
            throw new Error('viewer past the cap was served');
          },
          (error: unknown) => error,
        );
        expect(refused).toBeInstanceOf(StreamRefused);
        expect((refused as StreamRefused).status).toBe(503);
        expect(JSON.parse((refused as StreamRefused).body)).toEqual({
          error: `${MAX_VIEWERS} viewers are already watching this server, the most it streams to at once: close a live view you no longer need, or try again later.`,
        });
        expect((await getJson<LiveStats>(served.base, '/stats')).live.refused).toBe(1);
        streams.pop()?.close();
        await eventually('a place is free', async () => {
          return (await getJson<LiveStats>(served.base, '/stats')).live.viewers < MAX_VIEWERS;
        });
        streams.push(await LiveStream.open(served.base));
      } finally {
        for (const stream of streams) stream.close();
      }
    });

    it("the real entry with LIVE_VIEW=1 ends its viewers' streams on SIGTERM and still exits 0, cleanly", async () => {
      const { child, base } = await startEntry(
        ctx,
        { LIVE_VIEW: '1' },
        30_000,
        /live view on http:\/\/localhost:\d+\/live/,
      );
      try {
        const stream = await LiveStream.open(base);
        expect((await call(base, 'GET', '/whoami')).status).toBe(200);
        await eventually('the request streamed', () =>
          stream.events.some((event) => event.type === 'scope-end'),
        );
        child.process.kill('SIGTERM');
        await stream.ended;
        expect(await child.exited(), child.output).toBe(0);
        expect(child.output).toMatch(/stopped cleanly/);
      } finally {
        if (child.running) child.process.kill('SIGKILL');
      }
    }, 60_000);
  });
}
