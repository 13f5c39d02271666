import { request } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * One GET with headers, on a fresh socket. The contract's httpGet sends no
 * headers, and here the tenant travels in one. With `abortAfterMs` the
 * socket is destroyed mid-request and the promise resolves with status 0.
 */
export function httpRequest(
  url: string,
  headers: Record<string, string> = {},
  abortAfterMs?: number,
): Promise<HttpResponse> {
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
