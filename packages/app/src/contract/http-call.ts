import { type Agent, request } from 'node:http';

export interface CallOptions {
  /** Sent as JSON with Content-Type: application/json. */
  readonly json?: unknown;
  /** Sent as it is, for bodies JSON.stringify cannot make (malformed, oversized). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  /** A keep-alive agent for bulk requests. Default: none, a fresh socket per request. */
  readonly agent?: Agent;
  /** Destroys the socket after this many ms; the call then resolves with status 0. */
  readonly abortAfterMs?: number;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the response says it is JSON, else the text. */
  readonly body: unknown;
  readonly ms: number;
}

/**
 * One request, on a fresh socket unless an agent is given: a server that is
 * shutting down must not be kept alive by the test's idle connections.
 */
export function call(
  base: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const payload =
    options.raw ?? (options.json === undefined ? undefined : JSON.stringify(options.json));
  const headers: Record<string, string> = {
    ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...options.headers,
  };
  if (payload !== undefined) headers['content-length'] = String(Buffer.byteLength(payload));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers, agent: options.agent ?? false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          const json = /application\/json/.test(res.headers['content-type'] ?? '');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: json && text !== '' ? JSON.parse(text) : text,
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error) => {
      if (options.abortAfterMs === undefined) reject(error);
      else resolve({ status: 0, headers: {}, body: '', ms: performance.now() - started });
    });
    if (options.abortAfterMs !== undefined) setTimeout(() => req.destroy(), options.abortAfterMs);
    req.end(payload);
  });
}

/** A GET whose body is JSON of an expected shape; fails with the status and body otherwise. */
export async function getJson<T>(base: string, path: string): Promise<T> {
  const result = await call(base, 'GET', path);
  if (result.status !== 200) {
    throw new Error(`GET ${path} answered ${result.status}: ${JSON.stringify(result.body)}`);
  }
  return result.body as T;
}
