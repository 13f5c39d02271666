import { createServer, type RequestListener } from 'node:http';

/** A handler served on 127.0.0.1 for a test. */
export interface ServedHandler {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly base: string;
  /** Stops listening and waits for the requests in flight, as a graceful shutdown does. */
  close(): Promise<void>;
  /** Cuts every connection, in flight or idle, then stops: for the end of a test, which must not wait on a client. */
  destroy(): Promise<void>;
}

/** Serves `handler` (an express app is one) on 127.0.0.1 at a port the system picks. */
export async function serveOnFreePort(handler: RequestListener): Promise<ServedHandler> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return closing;
  };
  return {
    base: `http://127.0.0.1:${port}`,
    close,
    destroy: () => {
      server.closeAllConnections();
      return close();
    },
  };
}
