/**
 * A local HTTPS server that speaks the Kubernetes list/watch protocol for core/v1 Services, as
 * kube-apiserver does (it cannot be installed here): chunked lists with `limit`/`continue`,
 * watches as newline-delimited JSON events over a chunked response, bookmarks, 410 Gone for a
 * resourceVersion older than the compacted history (sent as an ERROR event on a 200 response, as
 * the real server does), `timeoutSeconds`, and an outage switch. Every request is recorded.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/** One request as the fake server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string | undefined;
  authorization: string | undefined;
}

type Service = { metadata: { name: string; namespace: string; resourceVersion?: string; uid?: string }; spec: Record<string, unknown> };
interface Event { rv: number; type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: Service }

/** Returns a self-signed certificate for 127.0.0.1 made with the openssl command line. */
export function selfSignedLocalhost(): { cert: string; key: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sg-fake-kube-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-days', '2', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8'), dir };
}

export class FakeServiceApi {
  readonly requests: RecordedRequest[] = [];
  readonly tls = selfSignedLocalhost();
  private readonly services = new Map<string, Service>();
  private readonly history: Event[] = [];
  private readonly watchers = new Set<{ res: ServerResponse; ns?: string }>();
  private rv = 100;
  private compactedBefore = 0;
  private server: Server | undefined;
  /** While true, every request gets 503 and open watches are cut. */
  down = false;

  /** Starts listening on 127.0.0.1 and returns the server URL. */
  async start(): Promise<string> {
    this.server = createServer({ cert: this.tls.cert, key: this.tls.key }, (req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.watchers) w.res.destroy();
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
    rmSync(this.tls.dir, { recursive: true, force: true });
  }

  /** Creates or updates a Service and tells the watchers. */
  put(namespace: string, name: string, spec: Record<string, unknown>): void {
    const key = `${namespace}/${name}`;
    const type = this.services.has(key) ? 'MODIFIED' : 'ADDED';
    const object: Service = { metadata: { name, namespace, uid: `uid-${key}`, resourceVersion: String(++this.rv) }, spec };
    this.services.set(key, object);
    this.emit({ rv: this.rv, type, object });
  }

  /** Deletes a Service and tells the watchers. */
  remove(namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const old = this.services.get(key);
    if (!old) return;
    this.services.delete(key);
    this.emit({ rv: ++this.rv, type: 'DELETED', object: { ...old, metadata: { ...old.metadata, resourceVersion: String(this.rv) } } });
  }

  /** Sends a BOOKMARK with the current resourceVersion to every watcher. */
  bookmark(): void {
    for (const w of this.watchers) write(w.res, { type: 'BOOKMARK', object: { kind: 'Service', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) } } });
  }

  /** Forgets the event history: a watch from an older resourceVersion then gets 410 Gone. */
  compact(): void {
    this.compactedBefore = this.rv;
    this.history.length = 0;
  }

  /** Cuts every open watch connection (as a load balancer or an API server restart would). */
  cutWatches(): void {
    for (const w of this.watchers) w.res.destroy();
    this.watchers.clear();
  }

  get openWatches(): number {
    return this.watchers.size;
  }

  private emit(e: Event): void {
    this.history.push(e);
    for (const w of this.watchers) if (!w.ns || w.ns === e.object.metadata.namespace) write(w.res, { type: e.type, object: { kind: 'Service', apiVersion: 'v1', ...e.object } });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://x');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({ method: req.method ?? '', path: url.pathname, query, accept: req.headers.accept, authorization: req.headers.authorization });
    if (this.down) return status(res, 503, 'ServiceUnavailable', 'the server is currently unable to handle the request');
    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?services$/.exec(url.pathname);
    if (req.method !== 'GET' || !m) return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const ns = m[1] ? decodeURIComponent(m[1]) : undefined;
    if (query.watch === 'true') return this.serveWatch(res, ns, query);
    return this.serveList(res, ns, query);
  }

  private serveList(res: ServerResponse, ns: string | undefined, query: Record<string, string>): void {
    const all = [...this.services.values()].filter((s) => !ns || s.metadata.namespace === ns).sort((a, b) => key(a).localeCompare(key(b)));
    const start = query.continue ? Number(query.continue.split(':')[1]) : 0;
    const limit = query.limit ? Number(query.limit) : all.length;
    const items = all.slice(start, start + limit);
    const more = start + limit < all.length;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'ServiceList', apiVersion: 'v1', metadata: { resourceVersion: String(this.rv), ...(more ? { continue: `c:${start + limit}` } : {}) }, items }));
  }

  private serveWatch(res: ServerResponse, ns: string | undefined, query: Record<string, string>): void {
    const from = Number(query.resourceVersion || '0');
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // kube-apiserver sends the headers as soon as the watch starts
    if (from < this.compactedBefore) {
      write(res, { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `too old resource version: ${from} (${this.compactedBefore})`, reason: 'Expired', code: 410 } });
      res.end();
      return;
    }
    for (const e of this.history) if (e.rv > from && (!ns || e.object.metadata.namespace === ns)) write(res, { type: e.type, object: { kind: 'Service', apiVersion: 'v1', ...e.object } });
    const w = { res, ns };
    this.watchers.add(w);
    const timeout = query.timeoutSeconds ? setTimeout(() => res.end(), Number(query.timeoutSeconds) * 1000) : undefined;
    res.on('close', () => {
      clearTimeout(timeout);
      this.watchers.delete(w);
    });
  }
}

function key(s: Service): string {
  return `${s.metadata.namespace}/${s.metadata.name}`;
}

function write(res: ServerResponse, event: unknown): void {
  res.write(JSON.stringify(event) + '\n');
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}
