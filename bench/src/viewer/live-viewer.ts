import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withResolvers } from '@lifetimes/databases';
import { FROM_SOURCES } from '../shared/from-sources.js';
import type { ViewerReport, ViewerRequest } from './viewer-messages.js';

/** A viewer of an app's live view: its event stream, read as fast as it arrives and thrown away. */
export interface LiveViewer {
  /** Lifetime events received since it connected: proof that it watched. Rejects once it has stopped watching. */
  events(): Promise<number>;
  /** Ends the viewer's process and resolves once it has exited. */
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./live-viewer-child.ts', import.meta.url));

/**
 * Starts a viewer of `GET /live/events` in a process of its own and
 * resolves once the stream's hello has arrived, so the app has subscribed
 * to its strategy before the round starts. A browser tab does the same,
 * plus drawing; the drawing costs the viewer's machine, not the app. Read
 * in the bench's own process, the stream would share an event loop with
 * the load generator, which on two cores falls behind while it reads: the
 * round with a viewer would look slower for a reason that is not the app's.
 * The timeout covers the process's start as well as the hello.
 */
export async function connectViewer(url: string, timeoutMs = 10_000): Promise<LiveViewer> {
  // Not detached: in a session of its own the kernel would give the viewer
  // a scheduling group of its own (autogroup), and as much CPU as the
  // bench's whole group whatever its priority.
  const child = fork(CHILD, [url], {
    execArgv: [...FROM_SOURCES],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let printed = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    printed = (printed + chunk.toString('utf8')).slice(-4000);
  });
  const ended = withResolvers<string>();
  child.on('error', (error) => {
    printed += `${error.message}\n`;
  });
  child.once('close', (code, signal) =>
    ended.resolve(`its process exited with ${signal ?? `code ${code}`}: ${printed.trim()}`),
  );
  const hello = withResolvers();
  const counts: ((events: number) => void)[] = [];
  child.on('message', (message: ViewerReport) => {
    if (message.type === 'hello') hello.resolve();
    else counts.shift()?.(message.events);
  });
  const stoppedWatching = (when: string) =>
    ended.promise.then((how) => {
      throw new Error(`The viewer of ${url}/live/events stopped ${when}; ${how}`);
    });
  const close = async () => {
    // Nothing in it to shut down cleanly: the app sees the connection
    // close, as when a tab is closed.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended.promise;
  };

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `No hello from ${url}/live/events within ${timeoutMs} ms of starting its viewer: check that the app is up with LIVE_VIEW=1 and not overloaded, or give the viewer a longer timeout.`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    await Promise.race([hello.promise, stoppedWatching('before the hello'), timeout]);
  } catch (error) {
    await close();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  return {
    events: () => {
      const count = new Promise<number>((resolve) => counts.push(resolve));
      if (child.connected) child.send({ type: 'count' } satisfies ViewerRequest);
      return Promise.race([count, stoppedWatching('during the round')]);
    },
    close,
  };
}
