/**
 * A local HTTPS server that speaks the Kubernetes API's JSON for plain objects, as kube-apiserver
 * does (it cannot be installed here): GET, POST (201; 409 AlreadyExists), PUT (409 Conflict on a
 * stale metadata.resourceVersion), PATCH in the three JSON patch types (415 for others; a patched
 * resourceVersion that is not the current one is a 409, as in the registry's GuaranteedUpdate),
 * 404 NotFound, 401 without the bearer token, and Status objects as error bodies. TLS is
 * CA-verified: `kubeconfig()` writes a kubeconfig that trusts the server's own CA. Every request is
 * recorded with its method, path, Content-Type and body. Resources are registered by URL prefix,
 * so more kinds (and later list/watch) can be added.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificateSet } from '../../certs/generate.ts';
import { applyPatch } from '../../policies/patch.ts';
import type { PatchOperation } from '../../policies/types.ts';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  accept: string | undefined;
  body: unknown;
}

/** A JSON object as stored. */
export type KubeObject = { metadata: { name: string; namespace?: string; resourceVersion?: string; uid?: string; [k: string]: unknown }; [k: string]: unknown };

/** A resource type the server serves: its URL plural, group (core: ''), kind, and which list keys merge by which field. */
export interface ResourceType {
  plural: string;
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  /** Strategic merge patch: list fields (top-level) that merge by a key, as patchMergeKey says. */
  mergeKeys?: Record<string, string>;
}

/** A canned answer for a request, from `intercept`; undefined lets the server handle it. */
export type Intercept = (req: RecordedRequest) => { status: number; reason: string; message: string } | undefined;

/** Secrets, ValidatingWebhookConfigurations and MutatingWebhookConfigurations. */
export const DEFAULT_TYPES: ResourceType[] = [
  { plural: 'secrets', group: '', version: 'v1', kind: 'Secret', namespaced: true },
  { plural: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', namespaced: false, mergeKeys: { webhooks: 'name' } },
  { plural: 'mutatingwebhookconfigurations', group: 'admissionregistration.k8s.io', version: 'v1', kind: 'MutatingWebhookConfiguration', namespaced: false, mergeKeys: { webhooks: 'name' } },
];

export const TOKEN = 'fake-token';

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  /** Objects by `plural/namespace/name` (namespace empty for cluster-scoped ones). */
  readonly objects = new Map<string, KubeObject>();
  /** Called before each request is handled; return an answer to fail it. */
  intercept: Intercept | undefined;
  private rv = 1000;
  private server: Server | undefined;
  private tls: { ca: string; cert: string; key: string } | undefined;
  private dir: string | undefined;
  url = '';

  readonly types: ResourceType[];

  constructor(types: ResourceType[] = DEFAULT_TYPES) {
    this.types = types;
  }

  /** Starts listening on 127.0.0.1 with a certificate from its own CA; returns the URL. */
  async start(): Promise<string> {
    const set = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), days: 2, keyType: 'ecdsa' });
    this.tls = { ca: set.caCert, cert: set.cert, key: set.key };
    this.server = createServer({ cert: set.cert, key: set.key }, (req, res) => void this.receive(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => (this.server ? this.server.close(r) : r(undefined)));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Writes a kubeconfig that trusts the server's CA and sends the bearer token; returns its path. */
  kubeconfig(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), 'sg-fake-kube-api-'));
    const file = join(this.dir, 'kubeconfig');
    const ca = Buffer.from(this.tls!.ca).toString('base64');
    writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "${this.url}", certificate-authority-data: ${ca}}}]
users: [{name: fake, user: {token: ${TOKEN}}}]
contexts: [{name: fake, context: {cluster: fake, user: fake}}]
current-context: fake
`);
    return file;
  }

  /** Stores an object as if someone had created it (fills resourceVersion and uid); returns the stored copy. */
  put(plural: string, obj: KubeObject): KubeObject {
    const type = this.type(plural);
    const stored = this.stamp(type, structuredClone(obj));
    this.objects.set(this.key(type, obj.metadata.namespace, obj.metadata.name), stored);
    return stored;
  }

  /** Returns the stored object, or undefined. */
  get(plural: string, name: string, namespace?: string): KubeObject | undefined {
    return this.objects.get(this.key(this.type(plural), namespace, name));
  }

  private type(plural: string): ResourceType {
    const t = this.types.find((x) => x.plural === plural);
    if (!t) throw new Error(`fake-kube-api: no resource type ${plural}`);
    return t;
  }

  private key(type: ResourceType, namespace: string | undefined, name: string): string {
    return `${type.plural}/${type.namespaced ? namespace ?? '' : ''}/${name}`;
  }

  private stamp(type: ResourceType, obj: KubeObject): KubeObject {
    obj.apiVersion = type.group ? `${type.group}/${type.version}` : type.version;
    obj.kind = type.kind;
    obj.metadata.resourceVersion = String(++this.rv);
    obj.metadata.uid ??= `uid-${this.rv}`;
    obj.metadata.creationTimestamp ??= '2026-01-01T00:00:00Z';
    return obj;
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const rec: RecordedRequest = {
      method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'], accept: req.headers.accept, body: text === '' ? undefined : safeJson(text),
    };
    this.requests.push(rec);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const canned = this.intercept?.(rec);
    if (canned) return status(res, canned.status, canned.reason, canned.message);
    const answer = this.route(rec);
    res.writeHead(answer.code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  /** Returns the answer to one request: the object, or a Status. */
  private route(rec: RecordedRequest): { code: number; body: unknown } {
    const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(rec.path);
    const type = m && this.types.find((t) => t.plural === m[5] && t.group === (m[2] ?? '') && t.version === (m[1] ?? m[3]) && t.namespaced === (m[4] !== undefined));
    if (!m || !type) return fail(404, 'NotFound', 'the server could not find the requested resource');
    const [namespace, name] = [m[4], m[6]];
    const what = type.group ? `${type.plural}.${type.group}` : type.plural;
    const current = name === undefined ? undefined : this.objects.get(this.key(type, namespace, name));
    const notFound = () => fail(404, 'NotFound', `${what} "${name}" not found`, { name, group: type.group, kind: type.plural });
    const conflict = () => fail(409, 'Conflict', `Operation cannot be fulfilled on ${what} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: type.group, kind: type.plural });
    switch (`${rec.method} ${name === undefined ? 'collection' : 'item'}`) {
      case 'GET item':
        return current ? ok(200, current) : notFound();
      case 'POST collection': {
        const obj = rec.body as KubeObject;
        const key = this.key(type, namespace, obj?.metadata?.name ?? '');
        if (this.objects.has(key)) return fail(409, 'AlreadyExists', `${what} "${obj.metadata.name}" already exists`, { name: obj.metadata.name, group: type.group, kind: type.plural });
        const invalid = validate(type, obj);
        if (invalid) return invalid;
        const stored = this.stamp(type, { ...structuredClone(obj), metadata: { ...obj.metadata, namespace, resourceVersion: undefined, uid: undefined } });
        this.objects.set(key, stored);
        return ok(201, stored);
      }
      case 'PUT item':
      case 'PATCH item':
        return current ? this.update(type, current, rec, conflict) : notFound();
      default:
        return fail(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
  }

  /** PUT or PATCH of an existing object: a stale resourceVersion in the result is a 409, as in GuaranteedUpdate. */
  private update(type: ResourceType, current: KubeObject, rec: RecordedRequest, conflict: () => { code: number; body: unknown }): { code: number; body: unknown } {
    let next: KubeObject;
    try {
      next = rec.method === 'PUT' ? (rec.body as KubeObject) : patch(type, current, rec);
    } catch (err) {
      const e = err as Error & { code?: number };
      return fail(e.code ?? 422, e.code === 415 ? 'UnsupportedMediaType' : 'Invalid', e.message);
    }
    const rv = next.metadata?.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== current.metadata.resourceVersion) return conflict();
    const { name, namespace } = current.metadata;
    if (next.type !== current.type) return fail(422, 'Invalid', `${type.kind} "${name}" is invalid: type: Invalid value: "${String(next.type)}": field is immutable`);
    const stored = this.stamp(type, { ...structuredClone(next), metadata: { ...next.metadata, name, namespace, uid: current.metadata.uid } });
    this.objects.set(this.key(type, namespace, name), stored);
    return ok(200, stored);
  }
}

/** Applies a PATCH body by its Content-Type, as kube-apiserver's patch handler does. */
function patch(type: ResourceType, current: KubeObject, rec: RecordedRequest): KubeObject {
  const ct = (rec.contentType ?? '').split(';')[0].trim();
  if (ct === 'application/json-patch+json') return applyPatch(current, rec.body as PatchOperation[]);
  if (ct === 'application/merge-patch+json') return mergePatch(current, rec.body, {}) as KubeObject;
  if (ct === 'application/strategic-merge-patch+json') return mergePatch(current, rec.body, type.mergeKeys ?? {}) as KubeObject;
  throw Object.assign(new Error(`the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`), { code: 415 });
}

/** RFC 7386 merge; lists named in `keys` (top level only) merge element by element on that key, as strategic merge does. */
export function mergePatch(target: unknown, patchValue: unknown, keys: Record<string, string>): unknown {
  if (!isObject(patchValue)) return structuredClone(patchValue);
  const out: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patchValue)) {
    if (v === null) delete out[k];
    else if (keys[k] && Array.isArray(v) && Array.isArray(out[k])) out[k] = mergeList(out[k] as unknown[], v, keys[k]);
    else out[k] = mergePatch(out[k], v, {});
  }
  return out;
}

function mergeList(current: unknown[], patchList: unknown[], key: string): unknown[] {
  const out = structuredClone(current) as Record<string, unknown>[];
  for (const item of patchList as Record<string, unknown>[]) {
    const i = out.findIndex((x) => x[key] === item[key]);
    if (i >= 0) out[i] = mergePatch(out[i], item, {}) as Record<string, unknown>;
    else out.push(item);
  }
  return out;
}

/** kube-apiserver's create validation for the fields sliceguard writes: a TLS Secret needs both keys. */
function validate(type: ResourceType, obj: KubeObject): { code: number; body: unknown } | undefined {
  const data = (obj.data ?? {}) as Record<string, string>;
  if (type.kind === 'Secret' && obj.type === 'kubernetes.io/tls') {
    for (const k of ['tls.crt', 'tls.key']) {
      if (!(k in data)) return fail(422, 'Invalid', `Secret "${obj.metadata.name}" is invalid: data[${k}]: Required value`);
    }
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function ok(code: number, body: unknown): { code: number; body: unknown } {
  return { code, body };
}

/** Returns a Status error body as kube-apiserver writes it. */
export function fail(code: number, reason: string, message: string, details?: object): { code: number; body: unknown } {
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code } };
}

function status(res: ServerResponse, code: number, reason: string, message: string): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(fail(code, reason, message).body));
}
