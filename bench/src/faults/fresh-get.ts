import { request } from 'node:http';

/** An answer, or the error code of a request that got none (ECONNREFUSED, ECONNRESET, TIMEOUT, ...). */
export type FreshOutcome =
  | { readonly status: number; readonly body: string }
  | { readonly error: string };

/**
 * A GET on a connection of its own (no keep-alive pool): what a new client
 * meets, so a server that stopped listening refuses it instead of an old
 * socket answering it.
 */
export function freshGet(url: string, timeoutMs: number): Promise<FreshOutcome> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ error: error.code ?? error.message }),
      );
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    req.end();
  });
}
