/**
 * Shared pieces of the webhook tests: AdmissionReview bodies as kube-apiserver sends them, patch
 * decoding, a certificate set on disk, and an HTTPS client that verifies the server against a CA.
 */
import { request as httpsRequest, Agent } from 'node:https';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { generateCertificateSet, type CertificateSet } from '../../certs/generate.ts';
import type { PatchOperation } from '../../policies/types.ts';

type Obj = Record<string, unknown>;

/** Returns an AdmissionReview v1 body: a CREATE in `default` by user alice unless `request` says otherwise. */
export function admissionReview(request: Obj): Obj {
  const object = request.object as Obj | undefined;
  const meta = (object?.metadata ?? {}) as Obj;
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
      requestKind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      requestResource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
      name: typeof meta.name === 'string' ? meta.name : undefined,
      namespace: 'default',
      operation: 'CREATE',
      userInfo: { username: 'alice', uid: 'a1', groups: ['system:authenticated'] },
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
      ...request,
    },
  };
}

/** Returns the JSON Patch of a response, decoded from base64, or undefined when it has none. */
export function decodePatch(body: unknown): PatchOperation[] | undefined {
  const response = (body as { response?: { patch?: string } }).response;
  return response?.patch === undefined ? undefined : (JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as PatchOperation[]);
}

/** A certificate set written to a fresh directory as kubelet would mount it (ca.crt, tls.crt, tls.key). */
export interface CertFiles extends CertificateSet {
  dir: string;
  certFile: string;
  keyFile: string;
}

/** Generates a CA and a serving certificate for 127.0.0.1/localhost and writes them to a temp dir. */
export async function certFiles(opts: { now?: Date; days?: number } = {}): Promise<CertFiles> {
  const set = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: opts.now ?? new Date(), days: opts.days ?? 30 });
  const dir = mkdtempSync(join(tmpdir(), 'sg-webhook-test-'));
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, set.cert);
  writeFileSync(keyFile, set.key, { mode: 0o600 });
  writeFileSync(join(dir, 'ca.crt'), set.caCert);
  return { ...set, dir, certFile, keyFile };
}

/** A pino logger whose JSON lines are kept in `lines`. */
export function memoryLogger(): { logger: Logger; lines: Obj[] } {
  const lines: Obj[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Obj);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** The answer to one HTTPS request. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
  /** Whether the request went over a kept-alive connection opened earlier. */
  reused: boolean;
}

/**
 * Sends one request over TLS, verifying the server against `ca` as kube-apiserver does (caBundle);
 * `rejectUnauthorized: false` skips verification as kubelet's HTTPS probes do.
 */
export function send(port: number, opts: { ca?: string; rejectUnauthorized?: boolean; method?: string; path?: string; body?: string | Buffer; headers?: Obj; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/validate?timeout=10s',
        ...(opts.ca === undefined ? {} : { ca: opts.ca }),
        ...(opts.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
        agent: opts.agent ?? false,
        headers: definedOnly({ 'content-type': 'application/json', accept: 'application/json, */*', ...opts.headers }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, reused: req.reusedSocket });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

function definedOnly(headers: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
}

/** Waits until `cond` holds, checking every 20 ms; fails after `ms` naming `what`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
