import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { copyExample, editFile, project, repoRoot, roster } from './helpers.js';

interface Diagnostic {
  range: { start: { line: number; character: number } };
  message: string;
}

/**
 * A minimal LSP client over stdio: Content-Length framed JSON-RPC, requests answered by id, server
 * requests answered (`workspace/configuration` from `settings`, others with null), notifications
 * and server requests handed to the `next` listeners.
 */
class LspClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly listeners: Array<(method: string, params: unknown) => void> = [];
  stderr = '';
  /** The editor's settings, by section (`yaml` → the `yaml.*` settings). */
  settings: Record<string, unknown> = {};

  constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
  }

  private send(message: Record<string, unknown>): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin?.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(
        /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString('ascii'))?.[1],
      );
      if (this.buffer.length < end + 4 + length) return;
      const msg = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as {
        id?: number;
        method?: string;
        params?: unknown;
        result?: unknown;
      };
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (msg.method === 'workspace/configuration') {
        // What an editor answers from its settings.json, section by section.
        const { items } = msg.params as { items: Array<{ section?: string }> };
        this.send({ id: msg.id, result: items.map((i) => this.settings[i.section ?? ''] ?? null) });
        for (const l of this.listeners) l(msg.method, msg.params);
      } else if (msg.method !== undefined && msg.id !== undefined) {
        this.send({ id: msg.id, result: null }); // client/registerCapability and the like
      } else if (msg.method !== undefined) {
        for (const l of this.listeners) l(msg.method, msg.params);
      } else if (msg.id !== undefined) {
        this.pending.get(msg.id)?.(msg.result);
        this.pending.delete(msg.id);
      }
    }
  }

  request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The first notification `method` whose params satisfy `accept`. */
  next<T>(method: string, accept: (params: T) => boolean): Promise<T> {
    return new Promise((resolve) => {
      const listener = (m: string, params: unknown) => {
        if (m === method && accept(params as T)) {
          this.listeners.splice(this.listeners.indexOf(listener), 1);
          resolve(params as T);
        }
      };
      this.listeners.push(listener);
    });
  }
}

/** Rejects after `ms` only to turn a hang into a failure; every step waits on LSP messages. */
function bounded<T>(what: string, p: Promise<T>, ms: number, detail: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms\n${detail()}`)), ms);
    }),
  ]);
}

const server = path.join(repoRoot, 'node_modules/yaml-language-server/bin/yaml-language-server');
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill();
  child = undefined;
});

describe('roster schema in yaml-language-server', () => {
  it('reports a spec mistake in every document of a multi-document file, at its line', async () => {
    const dir = copyExample('quickstart');
    const file = path.join(dir, 'service-accounts.yaml');
    // No modeline: it would override yaml.schemas, and it covers only the first document.
    editFile(file, /^# yaml-language-server:.*\n/, '');
    editFile(file, 'adminPrivileges: off', 'adminPrivileges: fulll'); // first document
    editFile(file, '  email: ws-bi-export', '  emial: ws-bi-export'); // second document
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const separator = lines.indexOf('---');
    const fulllLine = lines.findIndex((l) => l.includes('adminPrivileges: fulll'));
    const emialLine = lines.findIndex((l) => l.startsWith('  emial:'));
    expect(fulllLine).toBeGreaterThan(0);
    expect(fulllLine).toBeLessThan(separator);
    expect(emialLine).toBeGreaterThan(separator);

    const generated = await roster(['schema', '-f', '.', '--out', 'roster.schema.json'], { cwd: dir });
    expect(generated.stderr).toContain('wrote roster.schema.json');
    expect(generated.code).toBe(0);
    expect(readFileSync(path.join(dir, 'roster.schema.json'), 'utf8')).toContain('"intacct-sandbox"');

    child = spawn(process.execPath, [server, '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    const lsp = new LspClient(child);
    const detail = () => `server stderr:\n${lsp.stderr}`;
    const rootUri = pathToFileURL(dir).href;
    await bounded(
      'initialize',
      lsp.request('initialize', {
        processId: process.pid,
        rootUri,
        capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: {} } },
        workspaceFolders: [{ uri: rootUri, name: 'project' }],
      }),
      30_000,
      detail,
    );
    lsp.notify('initialized', {});
    // settings.json as the README shows it: "yaml.schemas": { "./roster.schema.json": [patterns] },
    // the path relative to the workspace folder. The server pulls the settings
    // (workspace/configuration) when told they changed.
    lsp.settings = { yaml: { validate: true, schemas: { './roster.schema.json': ['*.yaml', '*.yml'] } } };
    const pulled = lsp.next('workspace/configuration', () => true);
    lsp.notify('workspace/didChangeConfiguration', { settings: lsp.settings });
    await bounded('workspace/configuration', pulled, 30_000, detail);
    const uri = pathToFileURL(file).href;
    const published = lsp.next<{ uri: string; diagnostics: Diagnostic[] }>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri,
    );
    lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const { diagnostics } = await bounded('publishDiagnostics', published, 30_000, detail);

    const at = (line: number) => diagnostics.filter((d) => d.range.start.line === line).map((d) => d.message);
    expect(at(fulllLine).join('\n')).toMatch(/not accepted|allowed values|enum/i);
    expect(at(emialLine).join('\n')).toMatch(/emial/);
    // Besides, only what the misspelling means (email, which is required, is missing from the
    // second document's spec): the schema accepts the rest of both documents.
    const secondSpec = lines.findIndex((l, i) => i > separator && l === 'spec:');
    const others = diagnostics.filter((d) => ![fulllLine, emialLine].includes(d.range.start.line));
    expect(others.map((d) => [d.range.start.line, d.message])).toEqual([
      [secondSpec, 'Missing property "email".'],
    ]);
    lsp.notify('exit', {});
  });

  it('prints the schema on stdout without --out, and refuses a project without Provider documents', async () => {
    const dir = copyExample('quickstart');
    const printed = await roster(['schema', '-f', '.'], { cwd: dir });
    expect(printed.code).toBe(0);
    const schema = JSON.parse(printed.stdout) as {
      properties: { metadata: { properties: { provider: unknown } } };
    };
    expect(schema.properties.metadata.properties.provider).toMatchObject({ enum: ['intacct-sandbox'] });

    const resourcesOnly = project({
      'a.yaml': 'apiVersion: roster/v1\nkind: Group\nmetadata: { name: g, provider: p }\nspec: {}\n',
    });
    const refused = await roster(['schema', '-f', '.'], { cwd: resourcesOnly });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/no Provider document/);
  });
});
