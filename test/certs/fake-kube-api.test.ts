/** The fake API server answers as kube-apiserver does for the cases the certificate tests rely on. */
import { expect } from 'chai';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { FakeKubeApi, TOKEN } from '../helpers/fake-kube-api.ts';
import { startFake } from './helpers.ts';

describe('test helper: fake-kube-api', () => {
  let fake: FakeKubeApi;
  let ca: string;
  before(async () => {
    fake = await startFake();
    ca = Buffer.from(readFileSync(fake.kubeconfig(), 'utf8').match(/certificate-authority-data: (\S+)/)![1], 'base64').toString();
  });
  after(async () => fake.stop());

  /** Sends one request trusting only the fake's CA; returns status and parsed body. */
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> =>
    new Promise((resolve, reject) => {
      const req = request(`${fake.url}${path}`, { method, ca, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const V = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';

  it('answers 401 without the token, 404 for unknown paths and objects, 405 for other methods', async () => {
    expect((await send('GET', `${V}/sg-validating`, undefined, { authorization: 'Bearer wrong' })).body).to.include({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    expect((await send('GET', '/api/v1/namespaces/x/pods/y')).status).to.equal(404);
    expect((await send('GET', `${V}/nope`)).body).to.deep.include({ reason: 'NotFound', message: 'validatingwebhookconfigurations.admissionregistration.k8s.io "nope" not found' });
    expect((await send('DELETE', `${V}/sg-validating`)).status).to.equal(405);
  });

  it('refuses server-side apply (415) and a TLS Secret without its keys (422), and keeps Secret types immutable', async () => {
    const r = await send('PATCH', `${V}/sg-validating`, {}, { 'content-type': 'application/apply-patch+yaml' });
    expect(r.body).to.include({ code: 415, reason: 'UnsupportedMediaType' });
    const bad = await send('POST', '/api/v1/namespaces/ns/secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } });
    expect(bad.body).to.include({ code: 422, message: 'Secret "s" is invalid: data[tls.key]: Required value' });
    const ok = await send('POST', '/api/v1/namespaces/ns/secrets', { metadata: { name: 's' }, type: 'Opaque', data: {} });
    expect(ok.status).to.equal(201);
    const retyped = await send('PUT', '/api/v1/namespaces/ns/secrets/s', { ...ok.body, type: 'kubernetes.io/tls' });
    expect(retyped.body).to.include({ code: 422, reason: 'Invalid' });
  });

  it('merges strategic patches of webhooks by name, and JSON merge patches replace the list', async () => {
    await send('PATCH', `${V}/sg-validating`, { webhooks: [{ name: 'b.sliceguard.dev', timeoutSeconds: 5 }] }, { 'content-type': 'application/strategic-merge-patch+json' });
    const webhooks = fake.get('validatingwebhookconfigurations', 'sg-validating')!.webhooks as Record<string, unknown>[];
    expect(webhooks.map((w) => [w.name, w.timeoutSeconds, w.sideEffects])).to.deep.equal([['a.sliceguard.dev', undefined, 'None'], ['b.sliceguard.dev', 5, 'None']]);
    await send('PATCH', `${V}/sg-validating`, { webhooks: [{ name: 'c' }] }, { 'content-type': 'application/merge-patch+json' });
    expect(fake.get('validatingwebhookconfigurations', 'sg-validating')!.webhooks).to.deep.equal([{ name: 'c' }]);
  });
});
