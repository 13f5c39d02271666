import { request } from 'node:http';

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * One GET on a fresh socket (no keep-alive, so an abort really closes the
 * connection the server sees), with `headers` sent as they are. With
 * `abortAfterMs` the socket is destroyed mid-request and the promise
 * resolves with status 0.
 */
export function httpGet(
  url: string,
  abortAfterMs?: number,
  headers: Record<string, string> = {},
): Promise<ProbeResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', (error) => {
      if (abortAfterMs !== undefined) resolve({ status: 0, body: '' });
      else reject(error);
    });
    if (abortAfterMs !== undefined) setTimeout(() => req.destroy(), abortAfterMs);
    req.end();
  });
}
