import { expect, vi } from 'vitest';

/**
 * Polls `check` until it returns true or `timeoutMs` passes, then fails with
 * `what` and the last observed value. Teardown runs on the response's
 * `close`, after the client already has its answer, so lifetime assertions
 * must wait for it rather than sleep a guessed amount.
 */
export async function eventually(
  what: string,
  check: () => Promise<unknown> | unknown,
  timeoutMs = 5000,
): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await check(), `waiting ${timeoutMs} ms for: ${what}`).toBe(true);
    },
    { timeout: timeoutMs, interval: 10 },
  );
}
