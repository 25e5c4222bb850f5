/**
 * `sliceguard certs ensure` as a Job runs it (kubeconfig, exit codes, output), what client-node
 * 2.x puts on the wire for each call (the record in docs/certificates.md), and TLS trust.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { main } from '../../cli/main.ts';
import { kubeCertsApi, loadKubeConfig } from '../../certs/kube.ts';
import { FakeKubeApi } from '../helpers/fake-kube-api.ts';
import { captureIo, startFake } from './helpers.ts';
import { openssl } from './openssl.ts';

const ARGS = ['certs', 'ensure', '--secret', 'sg-tls', '--namespace', 'sg-system', '--service', 'sg', '--webhook-config', 'sg-validating', '--webhook-config', 'sg-mutating'];

describe('sliceguard certs ensure (CLI)', () => {
  let fake: FakeKubeApi;
  let dir: string;
  beforeEach(async () => {
    fake = await startFake();
    dir = mkdtempSync(join(tmpdir(), 'sg-ensure-cli-'));
  });
  afterEach(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, then keeps, printing what it did; RSA by default', async () => {
    const first = captureIo(dir);
    expect(await main([...ARGS, '--kubeconfig', fake.kubeconfig()], first.io)).to.equal(0);
    const lines = first.out.join('').split('\n');
    expect(lines[0]).to.equal('Secret sg-system/sg-tls: created. The Secret does not exist.');
    expect(lines[1]).to.match(/^Certificate for DNS:sg, DNS:sg\.sg-system, DNS:sg\.sg-system\.svc, DNS:sg\.sg-system\.svc\.cluster\.local is valid until \S+, issued by CN=sliceguard-ca@\d+\.$/);
    expect(lines.slice(2)).to.deep.equal(['ValidatingWebhookConfiguration sg-validating: caBundle set on 2 webhooks (1 CA).', 'MutatingWebhookConfiguration sg-mutating: caBundle set on 1 webhook (1 CA).', '']);
    const data = fake.get('secrets', 'sg-tls', 'sg-system')!.data as Record<string, string>;
    writeFileSync(join(dir, 'tls.key'), Buffer.from(data['tls.key'], 'base64'));
    expect(openssl(['pkey', '-in', 'tls.key', '-noout', '-text'], dir).out).to.include('Private-Key: (2048 bit, 2 primes)');
    const second = captureIo(dir, { KUBECONFIG: fake.kubeconfig() });
    expect(await main(ARGS, second.io)).to.equal(0);
    expect(second.out.join('')).to.match(/^Secret sg-system\/sg-tls: unchanged\. The certificate is valid until \S+ and names the Service\.\nValidatingWebhookConfiguration sg-validating: caBundle already current\.\nMutatingWebhookConfiguration sg-mutating: caBundle already current\.\n$/);
  });

  it('exits 2 with the API message on one line', async () => {
    fake.intercept = (req) => (req.method === 'PATCH' ? { status: 403, reason: 'Forbidden', message: 'validatingwebhookconfigurations.admissionregistration.k8s.io "sg-validating" is forbidden: User "x" cannot patch resource' } : undefined);
    const run = captureIo(dir);
    expect(await main([...ARGS, '--kubeconfig', fake.kubeconfig()], run.io)).to.equal(2);
    expect(run.err.join('')).to.equal('sliceguard: patch ValidatingWebhookConfiguration sg-validating: validatingwebhookconfigurations.admissionregistration.k8s.io "sg-validating" is forbidden: User "x" cannot patch resource (HTTP 403) [SG_KUBE_API]\n');
    expect(run.out).to.deep.equal([]);
  });

  it('verifies the API server against the kubeconfig CA and refuses another', async () => {
    const other = await startFake();
    const foreign = readFileSync(other.kubeconfig(), 'utf8').match(/certificate-authority-data: (\S+)/)![1];
    await other.stop();
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, readFileSync(fake.kubeconfig(), 'utf8').replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${foreign}`));
    const run = captureIo(dir);
    expect(await main([...ARGS, '--kubeconfig', file], run.io)).to.equal(2);
    expect(run.err.join('')).to.match(/^sliceguard: get Secret sg-system\/sg-tls: .*(certificate|signature).* \[SG_KUBE_API\]\n$/);
    expect(fake.requests).to.deep.equal([]);
  });

  it('says when there are no credentials or the kubeconfig is unusable', async () => {
    const none = captureIo(dir, { HOME: dir });
    expect(await main(ARGS, none.io)).to.equal(2);
    expect(none.err.join('')).to.equal('sliceguard: certs ensure: no Kubernetes credentials; pass --kubeconfig FILE, set KUBECONFIG, or run in a pod [SG_USAGE]\n');
    const missing = captureIo(dir);
    expect(await main([...ARGS, '--kubeconfig', 'nope.yaml'], missing.io)).to.equal(2);
    expect(missing.err.join('')).to.match(/^sliceguard: certs ensure: cannot load the kubeconfig .*nope\.yaml: ENOENT.* \[SG_USAGE\]\n$/);
    const flags = captureIo(dir);
    expect(await main(['certs', 'ensure', '--namespace', 'n', '--service', 's'], flags.io)).to.equal(2);
    expect(flags.err.join('')).to.equal('sliceguard: certs ensure: --secret NAME is required [SG_USAGE]\n');
  });
});

describe('what client-node 2.x sends (recorded for docs/certificates.md)', () => {
  let fake: FakeKubeApi;
  before(async () => { fake = await startFake(); });
  after(async () => fake.stop());

  it('GET without a body, POST and PUT as application/json, PATCH as json-patch unless the caller sets Content-Type', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(fake.kubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const secret = { metadata: { name: 'x' }, type: 'Opaque', data: { a: 'YQ==' } };
    const created = await core.createNamespacedSecret({ namespace: 'sg-system', body: secret });
    await core.replaceNamespacedSecret({ name: 'x', namespace: 'sg-system', body: { ...created, data: { a: 'Yg==' } } });
    await core.readNamespacedSecret({ name: 'x', namespace: 'sg-system' });
    await admission.patchValidatingWebhookConfiguration({ name: 'sg-validating', body: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }] });
    await kubeCertsApi(loadKubeConfig(fake.kubeconfig(), {})).patchCaBundle({ kind: 'MutatingWebhookConfiguration', name: 'sg-mutating', resourceVersion: '', webhooks: [{ name: 'm.sliceguard.dev', caBundle: '' }] }, 'pem');
    expect(fake.requests.map((r) => [r.method, r.path, r.contentType ?? '-', r.accept])).to.deep.equal([
      ['POST', '/api/v1/namespaces/sg-system/secrets', 'application/json', 'application/json, */*;q=0.8'],
      ['PUT', '/api/v1/namespaces/sg-system/secrets/x', 'application/json', 'application/json, */*;q=0.8'],
      ['GET', '/api/v1/namespaces/sg-system/secrets/x', '-', 'application/json, */*;q=0.8'],
      ['PATCH', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/sg-validating', 'application/json-patch+json', 'application/json, */*;q=0.8'],
      ['PATCH', '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/sg-mutating', 'application/strategic-merge-patch+json', 'application/json, */*;q=0.8'],
    ]);
    expect(fake.requests.every((r) => Object.keys(r.query).length === 0)).to.equal(true);
    expect(fake.get('validatingwebhookconfigurations', 'sg-validating')!.metadata.labels).to.deep.equal({ a: 'b' });
    expect(fake.get('secrets', 'x', 'sg-system')!.data).to.deep.equal({ a: 'Yg==' });
  });
});
