/** One request a client under test made, as {@link recordingFetch} saw it. */
export interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** What a scripted fetch answers a call with: a Response, an Error to throw, or a function of the call. */
export type ScriptedAnswer = Response | Error | ((call: RecordedCall) => Response | Error);

/** Waits are recorded, not slept: tests never depend on time. */
export function waitRecorder(): { waits: number[]; sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** A JSON answer (no body when `body` is undefined). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * A fetch that records every call, then answers it: with the next of `answers` when given (a call
 * beyond the script fails the test), else by passing it on to `inner` (e.g. to a simulator).
 */
export function recordingFetch(
  answers?: ScriptedAnswer[],
  inner: typeof fetch = globalThis.fetch,
): { calls: RecordedCall[]; fetch: typeof fetch } {
  const calls: RecordedCall[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const call: RecordedCall = {
      method: String(init.method),
      url,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: init.body as string | undefined,
    };
    calls.push(call);
    if (!answers) return inner(url, init);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected call ${call.method} ${url}`);
    const answer = typeof next === 'function' ? next(call) : next;
    if (answer instanceof Error) throw answer;
    return answer;
  }) as unknown as typeof fetch;
  return { calls, fetch: fetchImpl };
}
