import { get, type IncomingMessage } from 'node:http';
import { SseEventCounter } from './sse-event-counter.js';

/** A viewer of an app's live view: its event stream, read as fast as it arrives and thrown away. */
export interface LiveViewer {
  /** Lifetime events received since it connected: proof that it watched. */
  readonly events: () => number;
  close(): void;
}

/**
 * Connects to `GET /live/events` and resolves once the stream's hello has
 * arrived, so the app has subscribed to its strategy before the round
 * starts. A browser tab does the same, plus drawing; the drawing costs the
 * viewer's machine, not the app.
 */
export function connectViewer(url: string, timeoutMs = 5000): Promise<LiveViewer> {
  return new Promise((resolve, reject) => {
    const counter = new SseEventCounter();
    const request = get(`${url}/live/events`, (response: IncomingMessage) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(
          new Error(
            `${url}/live/events answered ${response.statusCode}: start the app with LIVE_VIEW=1 to measure a viewer.`,
          ),
        );
        return;
      }
      response.on('data', (chunk: Buffer) => {
        const waiting = !counter.hello;
        counter.push(chunk);
        if (waiting && counter.hello) {
          clearTimeout(timer);
          resolve({ events: () => counter.events, close: () => request.destroy() });
        }
      });
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`${url}/live/events sent no hello within ${timeoutMs} ms.`));
    }, timeoutMs);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
