/**
 * A request that is not safe to repeat (a create) was sent, and then the connection failed or
 * the server answered a 5xx that does not say "not processed": the system may or may not have
 * carried it out. The HTTP layer never sends it again blindly — that could make the object
 * twice. The caller reconciles by the object's natural key instead: a provider may look it up
 * at once, and otherwise the error fails the operation; the next plan reads the system, finds
 * the object by its natural key if it was made, and adopts it (or creates it if it was not).
 */
export class OutcomeUnknownError extends Error {
  /** The HTTP status of the last answer, when there was one (a 5xx). */
  readonly status: number | undefined;
  /** What went wrong: a transport reason (`ECONNRESET`, `timed out`) or `HTTP 500`. */
  readonly reason: string;
  /** The last answer's body, when there was one (for the caller's error parser). */
  readonly text: string | undefined;
  readonly headers: Headers | undefined;
  /** The request, as a verb phrase (`create user WS_X`). */
  readonly operation: string;
  constructor(
    system: string,
    what: string,
    reason: string,
    reply?: { status: number; text: string; headers: Headers },
  ) {
    super(
      `${system} may or may not have carried out ${what} (${reason}): roster did not send it again, as that could do it twice; the next plan finds the object by its natural key if it was made`,
    );
    this.operation = what;
    this.name = 'OutcomeUnknownError';
    this.reason = reason;
    this.status = reply?.status;
    this.text = reply?.text;
    this.headers = reply?.headers;
  }
}
