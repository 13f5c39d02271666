import type pg from 'pg';

const END_TIMEOUT_MS = 2000;

/**
 * Ends a standalone pg client in bounded time. `client.end()` waits for the
 * server to acknowledge; against a dead or unreachable server that can take
 * as long as TCP does, and close() must never hang, so the socket is
 * destroyed when the polite way takes too long.
 */
export async function endClient(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), END_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([client.end().then(() => 'ended' as const), timedOut]);
    if (outcome === 'timeout') {
      (
        client as pg.Client & { connection?: { stream?: { destroy(): void } } }
      ).connection?.stream?.destroy();
    }
  } catch {
    // Ending a client whose socket already failed rejects; it is closed either way.
  } finally {
    clearTimeout(timer);
  }
}
