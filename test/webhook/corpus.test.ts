/**
 * The labelled corpus in ../shared, sent through the real server as kube-apiserver would send each
 * EndpointSlice: a CREATE by a person, in the document's namespace (default when it has none), with
 * the Services of the same file known to the webhook. The corpus holds manifests, not recorded
 * AdmissionReviews, so the reviews are built here. Skipped when ../shared is not beside the project.
 */
import { expect } from 'chai';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseYamlDocuments } from '../../cli/documents.ts';
import { ServiceIndex, serviceInfoFrom } from '../../policies/services.ts';
import { RULES } from '../../policies/rules/index.ts';
import { startWebhook, type WebhookServer } from '../../webhook/server.ts';
import { admissionReview, certFiles, memoryLogger, send, type CertFiles } from './helpers.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
type Doc = { index: number; kind: string; name?: string; apiserver?: 'valid' | 'invalid'; policy?: string[] };
/** Tags whose rule id differs (corpus-check.mjs's table). */
const RULE_FOR: Record<string, string> = { cap: 'max-endpoints' };
/** Rules that only run offline (they judge manifests in a repository, not API writes). */
const OFFLINE_ONLY = new Set(RULES.filter((r) => r.meta.modes && !r.meta.modes.includes('webhook')).map((r) => r.meta.id));
const APISERVER = new Set(RULES.filter((r) => r.meta.category === 'apiserver').map((r) => r.meta.id));

describe('corpus EndpointSlices through the webhook (../shared/corpus)', function () {
  this.timeout(60_000);
  let certs: CertFiles;
  let server: WebhookServer;
  let services = new ServiceIndex();
  const log = memoryLogger();

  before(async function () {
    if (!existsSync(`${CORPUS}expected.json`)) return this.skip();
    certs = await certFiles();
    const lookup = { get: (ns: string, name: string) => services.get(ns, name) };
    server = await startWebhook({ certFile: certs.certFile, keyFile: certs.keyFile, host: '127.0.0.1', port: 0, onError: 'deny', logger: log.logger, services: lookup });
  });
  after(async () => {
    await server?.shutdown();
    if (certs) rmSync(certs.dir, { recursive: true, force: true });
  });

  it('answers every slice as the corpus expects: API verdicts, tagged rules reported, no untagged policy denial', async () => {
    const expected = JSON.parse(readFileSync(`${CORPUS}expected.json`, 'utf8')) as { files: Record<string, { documents: Doc[] }> };
    const problems: string[] = [];
    let slices = 0;
    for (const [file, entry] of Object.entries(expected.files)) {
      const docs = parseYamlDocuments(readFileSync(`${CORPUS}${file}`, 'utf8'));
      services = new ServiceIndex();
      for (const d of docs) {
        const info = serviceInfoFrom(d.value, 'default');
        if (info) services.set(info);
      }
      for (const want of entry.documents) {
        if (want.kind !== 'EndpointSlice' || !want.apiserver) continue;
        slices++;
        const object = docs[want.index].value as { metadata?: { namespace?: string } };
        const uid = `${file}#${want.index}`;
        const res = await send(server.port, { ca: certs.caCert, body: JSON.stringify(admissionReview({ object, uid, namespace: object.metadata?.namespace ?? 'default' })) });
        const response = (res.json as { response: { uid: string; allowed: boolean; status?: { message: string } } }).response;
        const line = log.lines.find((l) => l.uid === uid);
        if (res.status !== 200 || response.uid !== uid || !line) {
          problems.push(`${uid}: HTTP ${res.status}, uid ${response?.uid}`);
          continue;
        }
        const denied = line.denied as string[];
        const reported = line.rules as string[];
        const apiDenied = denied.some((r) => APISERVER.has(r));
        if (apiDenied !== (want.apiserver === 'invalid')) problems.push(`${uid}: API server says ${want.apiserver}; webhook denied by ${denied.join(', ') || 'nothing'}`);
        if (response.allowed !== (denied.length === 0)) problems.push(`${uid}: allowed ${response.allowed} but denied by ${denied.join(', ')}`);
        for (const d of denied) if (!response.status?.message.includes(d)) problems.push(`${uid}: denial message does not name ${d}`);
        const tags = new Set((want.policy ?? []).map((p) => p.split(':')[0]).filter((t) => t !== 'info').map((t) => RULE_FOR[t] ?? t));
        for (const rule of tags) if (!OFFLINE_ONLY.has(rule) && !reported.includes(rule)) problems.push(`${uid}: no finding from ${rule}`);
        if (want.apiserver === 'valid') for (const rule of denied) if (!tags.has(rule)) problems.push(`${uid}: unexpected denial by ${rule}`);
      }
    }
    expect(problems).to.deep.equal([]);
    expect(slices).to.be.greaterThan(10);
  });
});
