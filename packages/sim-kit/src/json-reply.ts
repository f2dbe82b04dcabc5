import type { ServerResponse } from 'node:http';

/** A simulator's answer to one request: a status, a JSON body (none when undefined) and headers. */
export interface JsonReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Send `reply`: the body as JSON with its length, `reply.headers` on top of the defaults. */
export function sendJsonReply(res: ServerResponse, reply: JsonReply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers ?? {});
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...(reply.headers ?? {}),
  });
  res.end(text);
}
