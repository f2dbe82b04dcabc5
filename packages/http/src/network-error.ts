/** No HTTP answer (refused, reset, timed out) after every attempt the retry policy allows. */
export class HttpNetworkError extends Error {
  /** The last transport failure, e.g. `ECONNRESET`, `fetch failed`, `timed out`. */
  readonly reason: string;
  /** Attempts made, the first included. */
  readonly attempts: number;
  constructor(what: string, reason: string, attempts: number) {
    super(`${what}: no answer (${reason}; ${attempts} attempts)`);
    this.name = 'HttpNetworkError';
    this.reason = reason;
    this.attempts = attempts;
  }
}
