import { spawnSync } from 'node:child_process';
import { type ClientRequest, get } from 'node:http';
import { setPriority } from 'node:os';
import { SseEventCounter } from './sse-event-counter.js';
import type { ViewerReport, ViewerRequest } from './viewer-messages.js';

/**
 * The viewer of `--viewer` in a process of its own, forked with an IPC
 * channel by startViewer(): says it is ready, then, each time it is asked,
 * opens an app's `GET /live/events`, reads it as fast as it arrives, says
 * when the hello arrived, counts the lifetime events, and closes the stream
 * again. Whatever ends a stream it did not close (a status other than 200,
 * an error, the app ending it) it prints on stderr and exits 1.
 * Usage: fork(live-viewer-child.ts, [<the app's base URL>]).
 */
const url = process.argv[2];
const send = process.send?.bind(process);
if (url === undefined || send === undefined) {
  process.stderr.write('Usage: fork live-viewer-child.ts with an IPC channel, <app base URL>\n');
  process.exit(2);
}
const report = (message: ViewerReport) => send(message);
const stream = `${url}/live/events`;
/** How often the stream is read once its hello is in. */
const GULP_MS = 250;

// A real viewer is a browser tab on another machine and takes no CPU from
// the app or the load generator; this one should take only what they leave
// idle. At nice 19 the scheduler still gives it a slice of a busy core now
// and then, which the bench reads as the app's cost: SCHED_IDLE (util-linux's
// chrt, on every thread) runs it only on a core with nothing else to run.
// Where chrt is missing, nice 19 is the nearest there is.
setPriority(19);
spawnSync('chrt', ['--all-tasks', '--idle', '--pid', '0', String(process.pid)], {
  stdio: 'ignore',
});
// The bench is gone: nobody will ask for the count or close this viewer.
process.on('disconnect', () => process.exit(0));

/** The stream being read now, if any. */
let watching:
  | {
      readonly request: ClientRequest;
      /** Reports the events counted, once what the socket holds has been read. */
      readonly count: () => void;
    }
  | undefined;

process.on('message', (message: ViewerRequest) => {
  if (message.type === 'watch') watch();
  else if (message.type !== 'count') unwatch();
  else if (watching) watching.count();
  else report({ type: 'events', events: 0 });
});
report({ type: 'ready' });

function watch(): void {
  const counter = new SseEventCounter();
  /** Reads what is waiting, then calls `then`; until the stream answers, there is nothing to read. */
  let gulp = (then: () => void) => then();
  // Only the stream being read may end the viewer: one it closed itself
  // ends as it was asked to.
  const current = () => watching?.request === request;
  const request = get(stream, (response) => {
    if (response.statusCode !== 200) {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => {
        body += text;
      });
      response.on('end', () => {
        const hint =
          response.statusCode === 404 ? ': start the app with LIVE_VIEW=1 to measure a viewer' : '';
        stop(`${stream} answered ${response.statusCode} ${body.trim()}${hint}.`);
      });
      return;
    }
    response.on('data', (chunk: Buffer) => {
      const waiting = !counter.hello;
      counter.push(chunk);
      if (waiting && counter.hello) report({ type: 'hello' });
    });
    // Once the hello is in, the stream is read in gulps, GULP_MS apart:
    // woken for each 25 ms batch, this process would break into the app's
    // and the load's time slices forty times a second, a cost of sharing
    // two cores that a viewer on another machine does not have. Between
    // gulps the kernel's socket buffers hold what the app wrote; the app
    // writes, and pays for, every batch just the same.
    const gulps = setInterval(() => {
      if (counter.hello) gulp(() => {});
    }, GULP_MS);
    response.once('close', () => clearInterval(gulps));
    gulp = (then) => {
      response.resume();
      // After the next poll of the socket: what it held has been read.
      setImmediate(() => {
        response.pause();
        then();
      });
    };
    // The app drops a viewer that falls too far behind, so a round's count is
    // only worth reporting while the stream lasts.
    const dropped = `if it dropped this viewer (its /stats counts drops under live.dropped), the machine left the viewer too little idle CPU to keep up.`;
    response.on('error', (error) => {
      if (current())
        stop(`${stream} broke (${error.message}; ${counter.events} events counted): ${dropped}`);
    });
    response.on('close', () => {
      if (current()) stop(`The app ended ${stream} (${counter.events} events counted): ${dropped}`);
    });
  });
  request.on('error', (error) => {
    if (current()) stop(`${stream} failed: ${error.message}.`);
  });
  watching = {
    request,
    count: () => gulp(() => report({ type: 'events', events: counter.events })),
  };
}

/** Closes the stream, as a tab that is closed: the app sees its viewer leave. */
function unwatch(): void {
  const closing = watching;
  watching = undefined;
  closing?.request.destroy();
  report({ type: 'unwatched' });
}

function stop(why: string): never {
  process.stderr.write(`${why}\n`);
  process.exit(1);
}
