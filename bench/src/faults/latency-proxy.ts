import net from 'node:net';

/** How slow the proxy makes the network; changeable while it runs. */
export interface Latency {
  /** Added to every chunk, in each direction: a round trip costs twice this. */
  readonly delayMs: number;
  /** Added once to each new connection before its first byte reaches the server. */
  readonly handshakeMs: number;
}

/** Chunks in one direction, each due at a time; they leave in arrival order, never reordered. */
class DelayedPipe {
  readonly #to: net.Socket;
  readonly #queue: { due: number; chunk: Buffer }[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(to: net.Socket) {
    this.#to = to;
  }

  push(chunk: Buffer, delayMs: number): void {
    // No delay and nothing queued: straight through, not even a timer's tick.
    if (delayMs <= 0 && this.#queue.length === 0) {
      if (!this.#to.destroyed) this.#to.write(chunk);
      return;
    }
    const last = this.#queue.at(-1)?.due ?? 0;
    // Never earlier than the chunk before it, even if the delay just shrank.
    this.#queue.push({ due: Math.max(performance.now() + delayMs, last), chunk });
    this.#schedule();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#queue.length = 0;
  }

  #schedule(): void {
    if (this.#timer || this.#queue.length === 0) return;
    const wait = Math.max(0, (this.#queue[0]?.due ?? 0) - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const now = performance.now();
      while (this.#queue.length > 0 && (this.#queue[0]?.due ?? 0) <= now) {
        const next = this.#queue.shift();
        if (next && !this.#to.destroyed) this.#to.write(next.chunk);
      }
      this.#schedule();
    }, wait);
  }
}

/**
 * A TCP proxy between an app and its database server that makes the network
 * between them slow: a delay on every chunk both ways, and a slow handshake
 * on every new connection. What a strategy pays for that is the point: one
 * that connects per query pays the handshake per query, a pooled one only
 * the round trips.
 */
export class LatencyProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #latency: Latency;
  #connections = 0;

  private constructor(server: net.Server, latency: Latency) {
    this.#server = server;
    this.#latency = latency;
  }

  /** Listens on 127.0.0.1 at a free port and forwards to `target`. */
  static async start(
    target: { host: string; port: number },
    latency: Latency = { delayMs: 0, handshakeMs: 0 },
  ): Promise<LatencyProxy> {
    const server = net.createServer();
    const proxy = new LatencyProxy(server, latency);
    server.on('connection', (client) => proxy.#accept(client, target));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Connections accepted since start: the handshakes the app made through the proxy. */
  get connections(): number {
    return this.#connections;
  }

  set(latency: Latency): void {
    this.#latency = latency;
  }

  /** Stops listening and cuts every connection through it. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket, target: { host: string; port: number }): void {
    this.#connections++;
    const server = new net.Socket();
    this.#sockets.add(client).add(server);
    const up = new DelayedPipe(server);
    const down = new DelayedPipe(client);
    const end = () => {
      up.stop();
      down.stop();
      client.destroy();
      server.destroy();
      this.#sockets.delete(client);
      this.#sockets.delete(server);
    };
    client.on('error', end).on('close', end);
    server.on('error', end).on('close', end);
    // Nothing the client sends reaches the server before the handshake delay
    // is over; PostgreSQL's client speaks first, so its startup waits.
    const handshakeDone = performance.now() + this.#latency.handshakeMs;
    client.on('data', (chunk: Buffer) =>
      up.push(chunk, Math.max(this.#latency.delayMs, handshakeDone - performance.now())),
    );
    server.on('data', (chunk: Buffer) => down.push(chunk, this.#latency.delayMs));
    // Connected at once (writes queue until it is); the delay is in the bytes.
    server.connect(target.port, target.host);
  }
}
