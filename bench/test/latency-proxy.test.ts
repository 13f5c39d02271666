import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyProxy } from '../src/faults/latency-proxy.js';

/** An echo server: what the proxy forwards comes straight back. */
async function echoServer(): Promise<net.Server> {
  const server = net.createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return server;
}

function portOf(server: net.Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** Connects through the proxy, sends each message after the previous echo, and times each round trip. */
async function roundTrips(port: number, messages: readonly string[]) {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const times: number[] = [];
  let received = '';
  for (const message of messages) {
    const started = performance.now();
    socket.write(message);
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        received += chunk.toString();
        if (received.endsWith(message)) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    times.push(performance.now() - started);
  }
  socket.destroy();
  return { times, received };
}

describe('LatencyProxy', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0)) await close();
  });

  it('delays every round trip by twice the delay, the first by the handshake too, in order', async () => {
    const echo = await echoServer();
    cleanup.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const proxy = await LatencyProxy.start(
      { host: '127.0.0.1', port: portOf(echo) },
      { delayMs: 30, handshakeMs: 150 },
    );
    cleanup.push(() => proxy.close());
    const { times, received } = await roundTrips(proxy.port, ['a1', 'b22', 'c333']);
    expect(received).toBe('a1b22c333');
    const [first = 0, ...rest] = times;
    expect(first).toBeGreaterThanOrEqual(150 + 30 - 5);
    for (const time of rest) {
      expect(time).toBeGreaterThanOrEqual(60 - 5);
      // Only a new connection pays the handshake.
      expect(time).toBeLessThan(first);
    }
    expect(proxy.connections).toBe(1);
  });

  it('takes new settings at once, and cuts its connections when closed', async () => {
    const echo = await echoServer();
    cleanup.push(() => new Promise((resolve) => echo.close(() => resolve())));
    const proxy = await LatencyProxy.start({ host: '127.0.0.1', port: portOf(echo) });
    expect((await roundTrips(proxy.port, ['x'])).received).toBe('x');
    proxy.set({ delayMs: 0, handshakeMs: 200 });
    const slow = await roundTrips(proxy.port, ['y']);
    expect(slow.times[0]).toBeGreaterThanOrEqual(195);
    const open = net.connect(proxy.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => open.once('close', () => resolve()));
    await new Promise<void>((resolve) => open.once('connect', () => resolve()));
    await proxy.close();
    await closed;
    expect(proxy.connections).toBe(3);
  });
});
