import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withResolvers } from '@lifetimes/databases';
import { FROM_SOURCES } from '../shared/from-sources.js';
import type { ViewerReport, ViewerRequest } from './viewer-messages.js';

/** A viewer of an app's live view in a process of its own: the event stream, opened and closed on request, read as fast as it arrives and thrown away. */
export interface LiveViewer {
  /** Opens the stream and resolves at its hello, once the app has subscribed to its strategy. */
  watch(): Promise<void>;
  /** Lifetime events received since watch(): proof that it watched. Rejects once it has stopped watching. */
  events(): Promise<number>;
  /** Closes the stream, as a tab that is closed, and resolves once it is closed. */
  unwatch(): Promise<void>;
  /** Ends the viewer's process and resolves once it has exited. */
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./live-viewer-child.ts', import.meta.url));
/** How long the process may take to start: a node and its TypeScript loader, on a busy machine. */
const START_TIMEOUT_MS = 30_000;

/**
 * Starts a viewer of `${url}/live/events` in a process of its own and
 * resolves once it is ready to watch. One process serves every round of an
 * app: started for each round with a viewer, its start (a node, a loader,
 * a compile: a second of CPU) would come just before those rounds and not
 * before the others, and the bench would count it as the viewer's cost. A
 * browser tab draws too; the drawing costs the viewer's machine, not the
 * app. Read in the bench's own process, the stream would share an event
 * loop with the load generator, which on two cores falls behind while it
 * reads: the round with a viewer would look slower for a reason that is not
 * the app's. `helloTimeoutMs` bounds each watch() until the hello.
 */
export async function startViewer(url: string, helloTimeoutMs = 10_000): Promise<LiveViewer> {
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
  const replies = new Map<ViewerReport['type'], ((report: ViewerReport) => void)[]>();
  child.on('message', (report: ViewerReport) => replies.get(report.type)?.shift()?.(report));
  const close = async () => {
    // Nothing in it to shut down cleanly: the app sees the connection
    // close, as when a tab is closed.
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await ended.promise;
  };

  /** Sends `request` (if any) and waits for the report `reply`, for the process's end, or for the timeout. */
  const ask = async (
    request: ViewerRequest['type'] | undefined,
    reply: ViewerReport['type'],
    when: string,
    timeout?: { readonly ms: number; readonly message: string },
  ): Promise<ViewerReport> => {
    const answered = new Promise<ViewerReport>((resolve) => {
      const waiting = replies.get(reply) ?? [];
      waiting.push(resolve);
      replies.set(reply, waiting);
    });
    if (request !== undefined && child.connected)
      child.send({ type: request } satisfies ViewerRequest);
    const stopped = ended.promise.then((how): never => {
      throw new Error(`The viewer of ${url}/live/events stopped ${when}; ${how}`);
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      if (timeout) timer = setTimeout(() => reject(new Error(timeout.message)), timeout.ms);
    });
    try {
      return await Promise.race([answered, stopped, late]);
    } finally {
      clearTimeout(timer);
    }
  };
  /** The same, but a viewer that failed to start or to watch is of no more use: its process goes. */
  const askOrClose: typeof ask = async (...args) => {
    try {
      return await ask(...args);
    } catch (error) {
      await close();
      throw error;
    }
  };

  await askOrClose(undefined, 'ready', 'before it was ready', {
    ms: START_TIMEOUT_MS,
    message: `The viewer of ${url}/live/events did not start within ${START_TIMEOUT_MS} ms: the machine is too busy to start a node process; try again when it is quieter.`,
  });
  return {
    watch: async () => {
      await askOrClose('watch', 'hello', 'before the hello', {
        ms: helloTimeoutMs,
        message: `No hello from ${url}/live/events within ${helloTimeoutMs} ms of asking for it: check that the app is up with LIVE_VIEW=1 and not overloaded, or give the viewer a longer timeout.`,
      });
    },
    events: async () => {
      const report = await ask('count', 'events', 'during the round');
      return report.type === 'events' ? report.events : 0;
    },
    unwatch: async () => {
      await ask('unwatch', 'unwatched', 'while closing its stream');
    },
    close,
  };
}
