import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the test server does with one request. */
export type Step =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { drop: true }
  | { hang: true };

/** A request the test server received. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * A local HTTP server answering from a script, one step per request (the last step repeats),
 * recording what it received and how many requests were in flight at most.
 */
export class TestServer {
  readonly seen: Seen[] = [];
  maxInFlight = 0;
  #inFlight = 0;
  #steps: Step[];
  #server: Server;
  #hung: ServerResponse[] = [];
  /** Added latency per request (ms), to make concurrency observable. */
  latencyMs = 0;

  readonly #host: string;

  private constructor(steps: Step[], host: string) {
    this.#steps = steps;
    this.#host = host;
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  /** `host`: another loopback address (127.0.0.2 on Linux) stands in for another machine. */
  static async start(steps: Step[], host = '127.0.0.1'): Promise<TestServer> {
    const s = new TestServer(steps, host);
    await new Promise<void>((r) => s.#server.listen(0, host, r));
    return s;
  }

  get url(): string {
    return `http://${this.#host}:${(this.#server.address() as AddressInfo).port}`;
  }

  script(steps: Step[]): void {
    this.#steps = steps;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    this.seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    this.#inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    const step = this.#steps.length > 1 ? this.#steps.shift()! : this.#steps[0]!;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    this.#inFlight -= 1;
    if ('drop' in step) {
      // The request was received (and, for a create, carried out); the answer never leaves.
      req.socket.destroy();
      return;
    }
    if ('hang' in step) {
      this.#hung.push(res);
      return;
    }
    res.writeHead(step.status, { 'content-type': 'application/json', ...step.headers });
    res.end(step.body ?? '{}');
  }

  async close(): Promise<void> {
    for (const r of this.#hung) r.socket?.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}
