/** A refusal with its HTTP status; the error handler sends `{"error": message}`. */
export class HttpError extends Error {
  readonly status: number;
  /** Sent as `Retry-After` when set: the refusal ends after this many seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
