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
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    last = await check();
    if (last === true) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for: ${what} (last: ${JSON.stringify(last)})`,
  );
}
