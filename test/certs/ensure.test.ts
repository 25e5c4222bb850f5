/**
 * `certs ensure` through @kubernetes/client-node against the fake API server over CA-verified
 * TLS, with an injected clock: what it sends, in which order, and what ends up stored.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCertificates, type EnsureOptions } from '../../certs/ensure.ts';
import { kubeCertsApi, loadKubeConfig, type CertsApi } from '../../certs/kube.ts';
import { FakeKubeApi, type KubeObject } from '../helpers/fake-kube-api.ts';
import { openssl } from './openssl.ts';
import { startFake, WEBHOOK } from './helpers.ts';

const DAY = 86400_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const at = (days: number): Date => new Date(T0.getTime() + days * DAY);
const V = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const M = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const S = '/api/v1/namespaces/sg-system/secrets';

describe('certs ensure against a fake Kubernetes API', () => {
  let fake: FakeKubeApi;
  let api: CertsApi;
  let dir: string;
  const sleeps: number[] = [];
  const options = (now: Date, over: Partial<EnsureOptions> = {}): EnsureOptions => ({
    namespace: 'sg-system', secret: 'sg-tls', service: 'sg', clusterDomain: 'cluster.local', webhookConfigs: ['sg-validating', 'sg-mutating'],
    days: 30, renewBefore: 1 / 3, keyType: 'ecdsa', now: () => now, sleep: async (ms) => void sleeps.push(ms), ...over,
  });
  const wire = (): string[] => fake.requests.map((r) => `${r.method} ${r.path}${r.contentType ? ` ${r.contentType}` : ''}`);
  const secret = (): Record<string, string> => {
    const data = (fake.get('secrets', 'sg-tls', 'sg-system')?.data ?? {}) as Record<string, string>;
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
  };
  const bundles = (): string[] => ['validatingwebhookconfigurations/sg-validating', 'mutatingwebhookconfigurations/sg-mutating'].flatMap((p) => {
    const [plural, name] = p.split('/');
    return ((fake.get(plural, name)?.webhooks ?? []) as { clientConfig: { caBundle?: string } }[]).map((w) => Buffer.from(w.clientConfig.caBundle ?? '', 'base64').toString());
  });
  /** Runs openssl verify of `cert` against `bundle` at the given time. */
  const verify = (bundle: string, cert: string, when: Date): string => {
    writeFileSync(join(dir, 'bundle.pem'), bundle);
    writeFileSync(join(dir, 'cert.pem'), cert);
    return openssl(['verify', '-attime', String(Math.floor(when.getTime() / 1000)), '-CAfile', 'bundle.pem', 'cert.pem'], dir).out;
  };
  const count = (pem: string): number => (pem.match(/BEGIN CERTIFICATE/g) ?? []).length;

  beforeEach(async () => {
    fake = await startFake();
    api = kubeCertsApi(loadKubeConfig(fake.kubeconfig(), {}));
    dir = mkdtempSync(join(tmpdir(), 'sg-ensure-'));
    sleeps.length = 0;
  });
  afterEach(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the Secret after setting caBundle on every webhook of both kinds, leaving the other fields alone', async () => {
    const result = await ensureCertificates(api, options(T0));
    expect(result).to.deep.include({ plan: { action: 'rotate-ca', reason: 'The Secret does not exist.' }, secret: 'created', attempts: 1 });
    expect(wire()).to.deep.equal([
      `GET ${S}/sg-tls`,
      `GET ${V}/sg-validating`, `GET ${M}/sg-validating`, `GET ${V}/sg-mutating`, `GET ${M}/sg-mutating`,
      `PATCH ${V}/sg-validating application/strategic-merge-patch+json`,
      `PATCH ${M}/sg-mutating application/strategic-merge-patch+json`,
      `POST ${S} application/json`,
    ]);
    const stored = fake.get('secrets', 'sg-tls', 'sg-system')!;
    expect(stored.type).to.equal('kubernetes.io/tls');
    expect(Object.keys(secret()).sort()).to.deep.equal(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
    expect(bundles()).to.deep.equal([secret()['ca.crt'], secret()['ca.crt'], secret()['ca.crt']]);
    expect(verify(bundles()[0], secret()['tls.crt'], T0)).to.equal('cert.pem: OK\n');
    const webhooks = fake.get('mutatingwebhookconfigurations', 'sg-mutating')!.webhooks as Record<string, unknown>[];
    expect(webhooks[0]).to.deep.include({ name: 'm.sliceguard.dev', sideEffects: 'None', reinvocationPolicy: 'Never', failurePolicy: 'Fail' });
    expect((webhooks[0].clientConfig as Record<string, unknown>).service).to.deep.equal(WEBHOOK.clientConfig.service);
    // The patch is conditional on the resourceVersion read, and names each webhook by its merge key.
    const patch = fake.requests.find((r) => r.method === 'PATCH')!.body as { metadata: unknown; webhooks: { name: string }[] };
    expect(patch.metadata).to.deep.equal({ resourceVersion: '1001' });
    expect(patch.webhooks.map((w) => w.name)).to.deep.equal(['a.sliceguard.dev', 'b.sliceguard.dev']);
  });

  it('changes nothing on a second run: reads only', async () => {
    await ensureCertificates(api, options(T0));
    fake.requests.length = 0;
    const result = await ensureCertificates(api, options(at(1)));
    expect(result.plan.action).to.equal('keep');
    expect(result.secret).to.equal('unchanged');
    expect(result.configs.map((c) => c.patched)).to.deep.equal([false, false]);
    expect(wire().every((w) => w.startsWith('GET '))).to.equal(true);
  });

  it('renews inside the window with the same CA: one PUT carrying the resourceVersion, caBundle untouched', async () => {
    await ensureCertificates(api, options(T0));
    const before = secret();
    const rv = fake.get('secrets', 'sg-tls', 'sg-system')!.metadata.resourceVersion;
    fake.requests.length = 0;
    const result = await ensureCertificates(api, options(at(21)));
    expect(result.plan.action).to.equal('renew');
    expect(wire().filter((w) => !w.startsWith('GET '))).to.deep.equal([`PUT ${S}/sg-tls application/json`]);
    expect((fake.requests.at(-1)!.body as KubeObject).metadata.resourceVersion).to.equal(rv);
    expect(secret()['ca.crt']).to.equal(before['ca.crt']);
    expect(secret()['tls.crt']).to.not.equal(before['tls.crt']);
    expect(verify(bundles()[0], secret()['tls.crt'], at(21))).to.equal('cert.pem: OK\n');
  });

  it('rotates the CA by publishing old+new caBundle first, so the old and the new certificate both verify', async () => {
    await ensureCertificates(api, options(T0));
    expect((await ensureCertificates(api, options(at(190)))).plan.action).to.equal('renew');
    const old = secret();
    fake.requests.length = 0;
    // The CA lives 300 days; at day 205 less than a third is left.
    const result = await ensureCertificates(api, options(at(205)));
    expect(result.plan).to.deep.equal({ action: 'rotate-ca', reason: `The CA expires at ${at(300).toISOString()}, less than 33% of its validity from now.` });
    const writes = wire().filter((w) => !w.startsWith('GET '));
    expect(writes).to.deep.equal([`PATCH ${V}/sg-validating application/strategic-merge-patch+json`, `PATCH ${M}/sg-mutating application/strategic-merge-patch+json`, `PUT ${S}/sg-tls application/json`]);
    const bundle = bundles()[0];
    expect(count(bundle)).to.equal(2);
    expect(bundle.startsWith(secret()['ca.crt'])).to.equal(true);
    // A replica still serving the old certificate and one serving the new are both trusted.
    expect(verify(bundle, old['tls.crt'], at(205))).to.equal('cert.pem: OK\n');
    expect(verify(bundle, secret()['tls.crt'], at(205))).to.equal('cert.pem: OK\n');
    expect(verify(old['ca.crt'], secret()['tls.crt'], at(205))).to.match(/unable to get local issuer certificate/);
    // Until thirty days (the serving certificate's validity) later the old CA stays; then it goes.
    expect(count((await ensureCertificates(api, options(at(234)))).bundle)).to.equal(2);
    fake.requests.length = 0;
    const later = await ensureCertificates(api, options(at(236)));
    expect(later.plan.action).to.equal('keep');
    expect(count(bundles()[0])).to.equal(1);
    expect(wire().filter((w) => !w.startsWith('GET '))).to.have.length(2);
  });

  it('without --webhook-config, leaves a CA that is only due alone, so the Secret never gets a CA that caBundle lacks', async () => {
    await ensureCertificates(api, options(T0));
    await ensureCertificates(api, options(at(190)));
    fake.requests.length = 0;
    const deferred = await ensureCertificates(api, options(at(205), { webhookConfigs: [] }));
    expect(deferred.plan.action).to.equal('keep');
    expect(deferred.plan.reason).to.match(/A new CA waits for a run with --webhook-config/);
    expect(wire()).to.deep.equal([`GET ${S}/sg-tls`]);
    expect((await ensureCertificates(api, options(at(205)))).plan.action).to.equal('rotate-ca');
  });

  it('makes a new CA when ca.key is missing, keeps the Secret type and other keys', async () => {
    const first = await ensureCertificates(api, options(T0));
    const stored = fake.get('secrets', 'sg-tls', 'sg-system')!;
    const data = stored.data as Record<string, string>;
    delete data['ca.key'];
    fake.put('secrets', { ...stored, type: 'Opaque', data: { ...data, extra: Buffer.from('kept').toString('base64') } });
    const result = await ensureCertificates(api, options(at(1)));
    expect(result.plan.reason).to.equal('The Secret has no ca.key, so its CA cannot sign a renewal.');
    expect(fake.get('secrets', 'sg-tls', 'sg-system')!.type).to.equal('Opaque');
    expect(secret().extra).to.equal('kept');
    expect(secret()['ca.crt']).to.not.equal(first.cert.caCert);
    expect(count(bundles()[0])).to.equal(2);
  });

  it('retries a 409 from a concurrent change with fresh reads', async () => {
    let raced = false;
    fake.intercept = (req) => {
      if (req.method === 'PATCH' && !raced) {
        raced = true;
        // Someone else changes the configuration between our read and our patch.
        const current = fake.get('validatingwebhookconfigurations', 'sg-validating')!;
        fake.put('validatingwebhookconfigurations', { ...current, metadata: { ...current.metadata, labels: { touched: 'yes' } } });
      }
      return undefined;
    };
    const result = await ensureCertificates(api, options(T0));
    expect(result.attempts).to.equal(2);
    expect(sleeps).to.deep.equal([100]);
    expect(wire().filter((w) => w.startsWith(`GET ${S}`))).to.have.length(2);
    expect(fake.get('validatingwebhookconfigurations', 'sg-validating')!.metadata.labels).to.deep.equal({ touched: 'yes' });
    expect(bundles().every((b) => b === secret()['ca.crt'])).to.equal(true);
  });

  it('adopts a Secret that another run created first (409 AlreadyExists), keeping its CA first in caBundle', async () => {
    const other = await startFake();
    const otherApi = kubeCertsApi(loadKubeConfig(other.kubeconfig(), {}));
    await ensureCertificates(otherApi, options(T0));
    const theirs = other.get('secrets', 'sg-tls', 'sg-system')!;
    await other.stop();
    fake.intercept = (req) => {
      if (req.method === 'POST' && !fake.get('secrets', 'sg-tls', 'sg-system')) fake.put('secrets', theirs);
      return undefined;
    };
    const result = await ensureCertificates(api, options(T0));
    expect(result).to.deep.include({ attempts: 2, secret: 'unchanged' });
    expect(bundles()[0].startsWith(secret()['ca.crt'])).to.equal(true);
    expect(verify(bundles()[0], secret()['tls.crt'], T0)).to.equal('cert.pem: OK\n');
  });

  it('gives up after five conflicts with SG_KUBE_API and the API message', async () => {
    fake.intercept = (req) => (req.method === 'POST' ? { status: 409, reason: 'Conflict', message: 'Operation cannot be fulfilled on secrets "sg-tls": try again' } : undefined);
    const err = await ensureCertificates(api, options(T0)).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(err?.code).to.equal('SG_KUBE_API');
    expect(err?.message).to.equal('Gave up after 5 conflicting writes; last: create Secret sg-system/sg-tls: Operation cannot be fulfilled on secrets "sg-tls": try again');
    expect(sleeps).to.deep.equal([100, 200, 400, 800]);
  });

  it('stops at any other API error with its message and status', async () => {
    const cases: [string, number, string, string][] = [
      ['GET', 403, 'secrets "sg-tls" is forbidden: User "system:serviceaccount:sg-system:sg-certs" cannot get resource "secrets" in API group "" in the namespace "sg-system"',
        'get Secret sg-system/sg-tls: secrets "sg-tls" is forbidden: User "system:serviceaccount:sg-system:sg-certs" cannot get resource "secrets" in API group "" in the namespace "sg-system" (HTTP 403)'],
      ['PATCH', 500, 'etcdserver: request timed out', 'patch ValidatingWebhookConfiguration sg-validating: etcdserver: request timed out (HTTP 500)'],
      ['POST', 422, 'Secret "sg-tls" is invalid: data[tls.key]: Required value', 'create Secret sg-system/sg-tls: Secret "sg-tls" is invalid: data[tls.key]: Required value (HTTP 422)'],
    ];
    for (const [method, status, message, expected] of cases) {
      fake.intercept = (req) => (req.method === method ? { status, reason: 'X', message } : undefined);
      const err = await ensureCertificates(api, options(T0)).then(() => undefined, (e: unknown) => e as Error & { code: string });
      expect(err?.code, method).to.equal('SG_KUBE_API');
      expect(err?.message).to.equal(expected);
    }
  });

  it('finds each name as either kind, ignores 403 on the kind that is not there, and refuses a name that is neither', async () => {
    fake.intercept = (req) => (req.method === 'GET' && req.path === `${M}/sg-validating` ? { status: 403, reason: 'Forbidden', message: 'forbidden' } : undefined);
    await ensureCertificates(api, options(T0));
    fake.requests.length = 0;
    await ensureCertificates(api, options(T0, { webhookConfigs: ['validating/sg-validating', 'mutating/sg-mutating'] }));
    expect(wire()).to.deep.equal([`GET ${S}/sg-tls`, `GET ${V}/sg-validating`, `GET ${M}/sg-mutating`]);
    const missing = await ensureCertificates(api, options(T0, { webhookConfigs: ['nope'] })).then(() => undefined, (e: unknown) => e as Error);
    expect(missing?.message).to.equal('No ValidatingWebhookConfiguration or MutatingWebhookConfiguration is named nope.');
    const hidden = await ensureCertificates(api, options(T0, { webhookConfigs: ['mutating/sg-validating'] })).then(() => undefined, (e: unknown) => e as Error);
    expect(hidden?.message).to.equal('No MutatingWebhookConfiguration is named sg-validating (reading MutatingWebhookConfiguration sg-validating was forbidden; check the RBAC of this service account).');
  });

  it('creates the Secret with no --webhook-config at all (the chart\'s pre-install Job)', async () => {
    const result = await ensureCertificates(api, options(T0, { webhookConfigs: [] }));
    expect(result.secret).to.equal('created');
    expect(wire()).to.deep.equal([`GET ${S}/sg-tls`, `POST ${S} application/json`]);
  });
});
