/** One attempt's result: an HTTP answer, or a transport failure. */
export type AttemptResult =
  | { kind: 'reply'; status: number; headers: Headers; text: string }
  | {
      kind: 'network';
      reason: string;
      /** False only when the request certainly never reached the server (connection refused, DNS). */
      sent: boolean;
    };

/** Error codes that mean the request never left this machine: safe to send again, whatever it is. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** A one-line reason for a failed fetch: the system error code where there is one. */
export function describeTransport(err: unknown): { reason: string; sent: boolean } {
  const e = err as {
    name?: string;
    message?: string;
    code?: string;
    cause?: { code?: string; message?: string };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { reason: 'timed out', sent: true };
  const code = e?.cause?.code ?? e?.code;
  const reason = code ?? e?.cause?.message ?? e?.message ?? String(err);
  return { reason, sent: !(code !== undefined && NOT_SENT.has(code)) };
}

/**
 * Send once with a timeout covering the whole exchange (headers and body). Redirects are never
 * followed here (`redirect: 'manual'`): a 3xx comes back as the answer, for the client to refuse
 * or, for a request that carries no credentials, to follow by its own rules.
 */
export async function sendOnce(
  fetchImpl: typeof fetch,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  timeoutMs: number,
): Promise<AttemptResult> {
  try {
    const res = await fetchImpl(url, {
      method: init.method,
      headers: init.headers,
      ...(init.body !== undefined ? { body: init.body } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    const text = await res.text();
    return { kind: 'reply', status: res.status, headers: res.headers, text };
  } catch (err) {
    return { kind: 'network', ...describeTransport(err) };
  }
}
