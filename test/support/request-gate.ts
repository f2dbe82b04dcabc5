import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback proxy in front of a served sandbox that holds every request while it is closed: a run
 * pointed at it stops at its first request, for as long as the test wants, whatever the machine's
 * load (an event the test controls instead of a sandbox latency it hopes is long enough).
 */
export interface RequestGate {
  /** The proxy's base URL: use it as the Provider's `endpoint`. */
  url: string;
  /** Resolves when the first request arrives while the gate is closed (it is then being held). */
  held: Promise<void>;
  /** How many requests passed through the proxy so far (held ones count once released). */
  forwarded(): number;
  /** Let the held requests, and every later one, through. */
  open(): void;
  close(): Promise<void>;
}

/** Start a gate (closed) forwarding to `target` (a served sandbox's URL). */
export async function startRequestGate(target: string): Promise<RequestGate> {
  const upstream = new URL(target);
  let isOpen = false;
  let forwarded = 0;
  const waiting: Array<() => void> = [];
  let reportHeld!: () => void;
  const held = new Promise<void>((resolve) => {
    reportHeld = resolve;
  });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse) => {
    forwarded += 1;
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // The sandbox answers only requests addressed to the loopback host and port it serves.
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    if (isOpen) return forward(req, res);
    // Paused until the gate opens: the body stays in the socket buffer meanwhile.
    req.pause();
    waiting.push(() => {
      req.resume();
      forward(req, res);
    });
    reportHeld();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    forwarded: () => forwarded,
    open: () => {
      isOpen = true;
      for (const release of waiting.splice(0)) release();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
