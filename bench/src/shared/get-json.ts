/**
 * GETs `url` and parses its JSON body; any other status than 2xx is an error
 * that quotes the body. A request that fails before any answer is sent once
 * more: a keep-alive socket the server closed just as the client reused it
 * fails that way, and a GET is safe to repeat. Each try gives up after
 * ANSWER_MS: every route read this way answers in milliseconds, so a
 * silence that long is a hang for the caller to see, not to wait out.
 */
const ANSWER_MS = 10_000;

export async function getJson<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(ANSWER_MS) });
  } catch {
    await new Promise((resolve) => setTimeout(resolve, 100));
    response = await fetch(url, { signal: AbortSignal.timeout(ANSWER_MS) }).catch(
      (error: unknown) => {
        const cause = (error as { cause?: { message?: string; code?: string } }).cause;
        throw new Error(
          `GET ${url} failed twice: ${cause?.code ?? cause?.message ?? String(error)}. Is the app still running?`,
          { cause: error },
        );
      },
    );
  }
  if (!response.ok)
    throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
