import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One request the recipes' scripts made. */
export interface ForgeCall {
  method: string;
  path: string;
  authorized: boolean;
}

/** A GitHub issue or pull request comment, or a GitLab note. */
export interface FakeComment {
  id: number;
  body: string;
}

/** A GitHub issue (`body`) or GitLab issue (`description`), kept in one shape. */
export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  comments: string[];
}

/**
 * The part of GitHub's and GitLab's REST APIs the recipes' scripts (examples/ci/scripts) call, in
 * memory: comments, issues, the pull request a commit was merged by, workflow runs and GitLab job
 * artifacts. Requests without the expected token are refused (401), and every call is recorded.
 */
export class FakeForge {
  readonly calls: ForgeCall[] = [];
  /** Pull/merge request number → its comments (notes). */
  readonly comments = new Map<number, FakeComment[]>();
  readonly issues: FakeIssue[] = [];
  /** Commit SHA → the request that merged it. */
  readonly mergedBy = new Map<string, { number: number; headSha: string }>();
  /** GitHub workflow runs, newest last. */
  readonly runs: Array<{ id: number; workflow: string; headSha: string; event: string; status: string }> = [];
  /** GitLab: merge request → pipelines (newest last); pipeline → jobs; job → artifact files. */
  readonly pipelines = new Map<number, Array<{ id: number; sha: string; status: string }>>();
  readonly jobs = new Map<number, Array<{ id: number; name: string }>>();
  readonly artifacts = new Map<number, Map<string, Buffer>>();
  #nextId = 1000;
  #server?: Server;
  url = '';

  constructor(readonly token: string) {}

  nextId(): number {
    return ++this.#nextId;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(
        ({ status, body }) => {
          const raw = Buffer.isBuffer(body)
            ? body
            : Buffer.from(body === undefined ? '' : JSON.stringify(body));
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(raw);
        },
        (e: unknown) => {
          res.writeHead(500);
          res.end(String(e));
        },
      );
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as { port: number };
    this.url = `http://127.0.0.1:${port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body?: unknown }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const input = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>)
      : {};
    const authorized =
      req.headers.authorization === `Bearer ${this.token}` || req.headers['private-token'] === this.token;
    const method = req.method ?? 'GET';
    this.calls.push({ method, path: url.pathname, authorized });
    if (!authorized) return { status: 401, body: { message: 'Bad credentials' } };
    const page = Number(url.searchParams.get('page') ?? '1');
    const list = <T>(items: T[]) => ({ status: 200, body: page === 1 ? items : [] });
    const p = url.pathname.replace(/^\/(github|gitlab)/, '');
    let m: RegExpExecArray | null = null;

    // Comments / notes of a pull or merge request.
    m =
      /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$|^\/projects\/\d+\/merge_requests\/(\d+)\/notes$/.exec(
        p,
      );
    if (m) {
      const n = Number(m[1] ?? m[2]);
      const issue = this.issues.find((i) => i.number === n);
      if (method === 'POST' && issue && m[1]) {
        issue.comments.push(String(input.body));
        return { status: 201, body: {} };
      }
      const comments = this.comments.get(n) ?? [];
      this.comments.set(n, comments);
      if (method === 'GET') return list(comments);
      const c = { id: this.nextId(), body: String(input.body) };
      comments.push(c);
      return { status: 201, body: c };
    }
    m =
      /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$|^\/projects\/\d+\/merge_requests\/\d+\/notes\/(\d+)$/.exec(
        p,
      );
    if (m) {
      const id = Number(m[1] ?? m[2]);
      const c = [...this.comments.values()].flat().find((x) => x.id === id);
      if (!c) return { status: 404 };
      c.body = String(input.body);
      return { status: 200, body: c };
    }
    // Issues.
    m = /^\/projects\/\d+\/issues\/(\d+)\/notes$/.exec(p);
    if (m) {
      this.issues.find((i) => i.number === Number(m![1]))?.comments.push(String(input.body));
      return { status: 201, body: {} };
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues$|^\/projects\/\d+\/issues$/.test(p)) {
      const gitlab = p.startsWith('/projects');
      if (method === 'GET') {
        const state = url.searchParams.get('state');
        const label = url.searchParams.get('labels');
        const open = this.issues.filter(
          (i) =>
            (state === 'open' || state === 'opened' ? i.state === 'open' : true) &&
            (!label || i.labels.includes(label)),
        );
        return list(
          open.map((i) =>
            gitlab ? { iid: i.number, description: i.body } : { number: i.number, body: i.body },
          ),
        );
      }
      const labels = input.labels;
      const issue: FakeIssue = {
        number: this.issues.length + 1,
        title: String(input.title),
        body: String(gitlab ? input.description : input.body),
        labels: Array.isArray(labels)
          ? labels.map(String)
          : String(labels ?? '')
              .split(',')
              .filter(Boolean),
        state: 'open',
        comments: [],
      };
      this.issues.push(issue);
      return { status: 201, body: {} };
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$|^\/projects\/\d+\/issues\/(\d+)$/.exec(p);
    if (m) {
      const issue = this.issues.find((i) => i.number === Number(m![1] ?? m![2]));
      if (!issue) return { status: 404 };
      const text = input.body ?? input.description;
      if (typeof text === 'string') issue.body = text;
      if (input.state === 'closed' || input.state_event === 'close') issue.state = 'closed';
      return { status: 200, body: {} };
    }
    // The request a commit was merged by.
    m = /^\/repos\/[^/]+\/[^/]+\/commits\/([\w-]+)\/pulls$/.exec(p);
    if (m) {
      const pr = this.mergedBy.get(m[1]!);
      return {
        status: 200,
        body: pr ? [{ number: pr.number, merged_at: '2026-12-07T12:00:00Z', head: { sha: pr.headSha } }] : [],
      };
    }
    m = /^\/projects\/\d+\/repository\/commits\/([\w-]+)\/merge_requests$/.exec(p);
    if (m) {
      const mr = this.mergedBy.get(m[1]!);
      return { status: 200, body: mr ? [{ iid: mr.number, state: 'merged', sha: mr.headSha }] : [] };
    }
    // GitHub workflow runs (newest first, as the API answers).
    m = /^\/repos\/[^/]+\/[^/]+\/actions\/workflows\/([^/]+)\/runs$/.exec(p);
    if (m) {
      const q = url.searchParams;
      const runs = this.runs
        .filter(
          (r) =>
            r.workflow === decodeURIComponent(m![1]!) &&
            r.headSha === q.get('head_sha') &&
            r.event === q.get('event') &&
            r.status === q.get('status'),
        )
        .reverse();
      return {
        status: 200,
        body: { total_count: runs.length, workflow_runs: runs.map((r) => ({ id: r.id })) },
      };
    }
    // GitLab pipelines, jobs, artifacts.
    m = /^\/projects\/\d+\/merge_requests\/(\d+)\/pipelines$/.exec(p);
    if (m) return list([...(this.pipelines.get(Number(m[1])) ?? [])].reverse());
    m = /^\/projects\/\d+\/pipelines\/(\d+)\/jobs$/.exec(p);
    if (m) return list(this.jobs.get(Number(m[1])) ?? []);
    m = /^\/projects\/\d+\/jobs\/(\d+)\/artifacts\/(.+)$/.exec(p);
    if (m) {
      const file = this.artifacts.get(Number(m[1]))?.get(decodeURIComponent(m[2]!));
      return file ? { status: 200, body: file } : { status: 404 };
    }
    return { status: 404, body: { message: `fake forge: no route ${method} ${p}` } };
  }
}
