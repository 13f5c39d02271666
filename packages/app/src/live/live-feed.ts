import type { ServerResponse } from 'node:http';
import type { ConnectionStrategy, LifetimeEvent } from '@lifetimes/core';
import type { RequestHandler } from 'express';
import { databaseName, toLiveEvent } from './live-event.js';

/** The most viewers streamed to at once; one more is a 503, so a crowd of tabs cannot tie the server up. */
export const MAX_VIEWERS = 8;

/**
 * How many bytes a viewer may leave unsent in the server (its response's
 * buffer and its socket's) before it is dropped. Past what the kernel's
 * socket buffers take, a viewer that reads slower than events arrive would
 * otherwise make the server buffer for it without end. Room for a burst: on
 * SQLite a request's queries run without yielding to the event loop, so all
 * their events (a /queries?queries=500 on per-query: 2500 of them, about
 * 200 KB) are written before a healthy viewer's socket can drain any.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * How long events wait to be written to the viewers together. A viewer
 * cannot see 25 ms, and one write per batch instead of one per event is
 * most of what watching costs the app: each write is a chunk of its own on
 * the response and a system call.
 */
export const FLUSH_INTERVAL_MS = 25;

/** What the feed needs of the strategy: its name for the page, and its events. */
type Watched = Pick<ConnectionStrategy<never>, 'name' | 'dialect' | 'listen'>;

/** What `/stats` says about the live view under `live`. */
export interface LiveFeedStats {
  /** Viewers streamed to now. */
  readonly viewers: number;
  /** Viewers closed by the server because they fell MAX_BUFFERED_BYTES behind. */
  readonly dropped: number;
  /** Viewers refused with a 503 because MAX_VIEWERS were already watching. */
  readonly refused: number;
}

/**
 * The strategy's lifetime events, streamed to the live view's viewers as
 * server-sent events. It listens to the strategy only while at least one
 * viewer is connected, so an unwatched strategy does no more than its one
 * check for listeners per event; each event is serialised once for all viewers.
 */
export class LiveFeed {
  readonly #strategy: Watched;
  /** The default database's name, as engine events name databases; undefined when unknown. */
  readonly #database: string | undefined;
  readonly #viewers = new Set<ServerResponse>();
  #unlisten: (() => void) | undefined;
  /**
   * Events since the last flush, kept as the strategy made them: they are
   * serialised at the flush, all in one pass, so an event costs the request
   * that made it no more than an array push.
   */
  #pending: LifetimeEvent[] = [];
  #flushTimer: NodeJS.Timeout | undefined;
  #dropped = 0;
  #refused = 0;
  #stopped = false;

  /**
   * After `shutdown` aborts, every stream is ended and new viewers are
   * refused. `databaseUrl` is the app's default database, named in the
   * hello (its name only) so the page can tell it from the tenants' databases.
   */
  constructor(strategy: Watched, shutdown?: AbortSignal, databaseUrl?: string) {
    this.#strategy = strategy;
    this.#database = databaseName(databaseUrl);
    shutdown?.addEventListener('abort', () => this.#stop(), { once: true });
  }

  stats(): LiveFeedStats {
    return {
      viewers: this.#viewers.size,
      dropped: this.#dropped,
      refused: this.#refused,
    };
  }

  /** GET /live/events: a `hello` event (strategy, dialect, default database's name, the server's clock), then one event per lifetime event. */
  stream(): RequestHandler {
    return (_req, res) => {
      if (this.#stopped) {
        res.set('Retry-After', '1');
        res.status(503).json({
          error: 'The server is shutting down: reload the live view once it is back.',
        });
        return;
      }
      if (this.#viewers.size >= MAX_VIEWERS) {
        this.#refused++;
        res.set('Retry-After', '5');
        res.status(503).json({
          error: `${MAX_VIEWERS} viewers are already watching this server, the most it streams to at once: close a live view you no longer need, or try again later.`,
        });
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        // A reverse proxy that buffers responses (nginx does by default)
        // would hold the events back until its buffer fills.
        'x-accel-buffering': 'no',
      });
      const hello = {
        strategy: this.#strategy.name,
        dialect: this.#strategy.dialect,
        ...(this.#database === undefined ? {} : { database: this.#database }),
        now: performance.now(),
      };
      res.write(`event: hello\ndata: ${JSON.stringify(hello)}\n\n`);
      // `close` covers the viewer leaving, the socket failing and the server
      // dropping it: whichever it is, it stops costing anything at once.
      res.once('close', () => this.#remove(res));
      this.#viewers.add(res);
      this.#unlisten ??= this.#strategy.listen((event) => this.#send(event));
    };
  }

  /**
   * Runs inside the strategy's own code, synchronously, for every event: it
   * must never throw, and never wait. It only queues the event for the next
   * flush. Serialised there, with the rest of its batch, rather than here,
   * the events of an in-process baseline request on SQLite cost it less than
   * half as much, in paired blocks with and without a viewer.
   */
  #send(event: LifetimeEvent): void {
    this.#pending.push(event);
    if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(() => this.#flush(), FLUSH_INTERVAL_MS);
      // Never what keeps a stopping process alive.
      this.#flushTimer.unref();
    }
  }

  /**
   * Writes what is pending to every viewer in one write each. A write only
   * queues bytes; a viewer whose queue has grown past the bound is
   * destroyed instead of fed.
   */
  #flush(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#pending.length === 0) return;
    let chunk = '';
    for (const event of this.#pending) chunk += `data: ${JSON.stringify(toLiveEvent(event))}\n\n`;
    this.#pending = [];
    for (const viewer of this.#viewers) {
      if (viewer.destroyed || viewer.writableEnded) continue;
      viewer.write(chunk);
      if (viewer.writableLength > MAX_BUFFERED_BYTES) {
        this.#dropped++;
        this.#remove(viewer);
        viewer.destroy();
      }
    }
  }

  #remove(viewer: ServerResponse): void {
    this.#viewers.delete(viewer);
    if (this.#viewers.size === 0) {
      this.#unlisten?.();
      this.#unlisten = undefined;
      clearTimeout(this.#flushTimer);
      this.#flushTimer = undefined;
      this.#pending = [];
    }
  }

  #stop(): void {
    this.#stopped = true;
    // What happened last reaches the viewers before their streams end.
    this.#flush();
    for (const viewer of this.#viewers) {
      this.#remove(viewer);
      viewer.end();
    }
  }
}
