import { get } from 'node:http';
import { setPriority } from 'node:os';
import { SseEventCounter } from './sse-event-counter.js';
import type { ViewerReport, ViewerRequest } from './viewer-messages.js';

/**
 * The viewer of `--viewer` in a process of its own, forked with an IPC
 * channel by connectViewer(): reads an app's `GET /live/events` as fast as
 * it arrives, says when the hello arrived and, when asked, how many
 * lifetime events it has counted. Whatever ends its watching (a status
 * other than 200, an error, the app ending the stream) it prints on stderr
 * and exits 1. Usage: fork(live-viewer-child.ts, [<the app's base URL>]).
 */
const url = process.argv[2];
const send = process.send?.bind(process);
if (url === undefined || send === undefined) {
  process.stderr.write('Usage: fork live-viewer-child.ts with an IPC channel, <app base URL>\n');
  process.exit(2);
}
const report = (message: ViewerReport) => send(message);

// A real viewer is a browser tab on another machine and takes no CPU from
// the app or the load generator; at the lowest priority this one takes only
// what they leave idle.
setPriority(19);
// The bench is gone: nobody will ask for the count or close this viewer.
process.on('disconnect', () => process.exit(0));

const counter = new SseEventCounter();
const stream = `${url}/live/events`;
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
  // The app drops a viewer that falls too far behind, so a round's count is
  // only worth reporting while the stream lasts.
  const dropped = `if it dropped this viewer (its /stats counts drops under live.dropped), the machine left the viewer too little idle CPU to keep up.`;
  response.on('error', (error) =>
    stop(`${stream} broke (${error.message}; ${counter.events} events counted): ${dropped}`),
  );
  response.on('close', () =>
    stop(`The app ended ${stream} (${counter.events} events counted): ${dropped}`),
  );
});
request.on('error', (error) => stop(`${stream} failed: ${error.message}.`));
process.on('message', (message: ViewerRequest) => {
  if (message.type === 'count') report({ type: 'events', events: counter.events });
});

function stop(why: string): never {
  process.stderr.write(`${why}\n`);
  process.exit(1);
}
