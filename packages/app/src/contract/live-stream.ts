import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** One event as a test reads it off the wire: whatever JSON the server sent. */
export type StreamedEvent = Record<string, unknown> & { readonly type: string };

export interface LiveStreamOptions {
  /**
   * Default true. false never reads the body: the client's buffers fill and
   * then the kernel's, and the server is left holding whatever it writes next.
   */
  readonly read?: boolean;
}

/**
 * GET /live/events over plain HTTP, as a viewer that parses what it reads
 * (or, with `read: false`, a viewer that has stalled).
 */
export class LiveStream {
  /** Everything received, as sent. */
  text = '';
  /** The `hello` event's data, once read. */
  hello: Record<string, unknown> | undefined;
  /** Every other event, in order. */
  readonly events: StreamedEvent[] = [];
  /** Resolves when the response has ended, by either side, however it ended. */
  readonly ended: Promise<void>;
  readonly #request: ClientRequest;
  readonly #response: IncomingMessage;
  #pending = '';

  private constructor(request: ClientRequest, response: IncomingMessage, read: boolean) {
    this.#request = request;
    this.#response = response;
    this.ended = new Promise((resolve) => {
      response.once('close', resolve);
      request.once('close', resolve);
    });
    response.on('error', () => {});
    request.on('error', () => {});
    response.setEncoding('utf8');
    if (read) this.resume();
  }

  /** Opens the stream; fails with the status and body unless it is a 200 event stream. */
  static open(base: string, options: LiveStreamOptions = {}): Promise<LiveStream> {
    return new Promise((resolve, reject) => {
      const req = request(`${base}/live/events`, { agent: false }, (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => reject(new StreamRefused(res.statusCode ?? 0, body)));
          return;
        }
        resolve(new LiveStream(req, res, options.read ?? true));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Starts (or restarts) reading, parsing each `data:` frame. */
  resume(): void {
    this.#response.on('data', (chunk: string) => {
      this.text += chunk;
      const frames = (this.#pending + chunk).split('\n\n');
      // The last piece is a frame not yet complete (or empty).
      this.#pending = frames.pop() ?? '';
      for (const frame of frames) this.#frame(frame);
    });
  }

  /** Hangs up, as a viewer closing its tab. */
  close(): void {
    this.#request.destroy();
  }

  #frame(frame: string): void {
    const lines = frame.split('\n');
    const name = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
    const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
    if (data === undefined) return;
    const parsed = JSON.parse(data) as Record<string, unknown>;
    if (name === 'hello') this.hello = parsed;
    else this.events.push(parsed as StreamedEvent);
  }
}

/** What a refused stream answered instead. */
export class StreamRefused extends Error {
  readonly status: number;
  readonly body: string;

  constructor(status: number, body: string) {
    super(`GET /live/events answered ${status}: ${body}`);
    this.status = status;
    this.body = body;
  }
}
