/**
 * The live Service cache end to end: the real `sliceguard serve --kubeconfig` process, over real
 * TLS, with Services coming from a local server that speaks the Kubernetes list/watch protocol
 * (kube-apiserver cannot be installed here; test/helpers/fake-kube-watch.ts records its requests).
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeServiceApi } from '../helpers/fake-kube-watch.ts';
import { CLI, ensureBuilt } from '../cli/built-cli.ts';
import { admissionReview, certFiles, send, until, type CertFiles } from './helpers.ts';
import { slice } from '../helpers/fixtures.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const webSlice = (port: string, service = 'web') =>
  slice({ metadata: { name: `${service}-manual`, namespace: 'shop' }, labels: { 'kubernetes.io/service-name': service, 'endpointslice.kubernetes.io/managed-by': 'ops' }, ports: [{ name: port, protocol: 'TCP', port: 8443 }] });

describe('live Service cache, end to end (sliceguard serve --kubeconfig)', function () {
  this.timeout(60_000);
  let api: FakeServiceApi;
  let certs: CertFiles;
  let child: ChildProcess;
  let port: number;
  let log = '';
  const review = async (object: Record<string, unknown>) => {
    const r = await send(port, { ca: certs.caCert, body: JSON.stringify(admissionReview({ object, namespace: 'shop', name: (object.metadata as { name: string }).name })) });
    return (r.json as { response: { allowed: boolean; status?: { message: string }; warnings?: string[] } }).response;
  };

  before(async () => {
    ensureBuilt();
    api = new FakeServiceApi();
    const server = await api.start();
    api.put('shop', 'web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ipFamilies: ['IPv4'] });
    certs = await certFiles();
    const kubeconfig = join(certs.dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: fake',
      'clusters:', `- name: fake`, `  cluster: {server: "${server}", certificate-authority-data: ${Buffer.from(api.tls.cert).toString('base64')}}`,
      'users:', '- name: u', '  user: {token: e2e-token}',
      'contexts:', '- name: fake', '  context: {cluster: fake, user: u}', '',
    ].join('\n'));
    port = await freePort();
    child = spawn(process.execPath, [CLI, 'serve', '--cert', certs.certFile, '--key', certs.keyFile, '--host', '127.0.0.1', '--port', String(port), '--kubeconfig', kubeconfig, '--service-wait', '1000', '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    await until('the webhook to be ready (cache synced)', async () => {
      try {
        return (await send(port, { ca: certs.caCert, method: 'GET', path: '/readyz' })).status === 200;
      } catch {
        return false;
      }
    }, 20_000);
  });
  after(async () => {
    child?.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
    await api.stop();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('lists and watches Services through the kubeconfig, with its token', async () => {
    await until('a watch request', () => api.requests.some((r) => r.query.watch === 'true'));
    expect(api.requests[0]).to.deep.include({ method: 'GET', path: '/api/v1/services' });
    expect(api.requests[0].query).to.deep.equal({ limit: '500' });
    const watch = api.requests.find((r) => r.query.watch === 'true');
    expect(watch, log).to.not.equal(undefined);
    expect(watch!.path).to.equal('/api/v1/services');
    expect(watch!.authorization).to.equal('Bearer e2e-token');
  });

  it('denies a slice whose port matches no Service port, naming both port sets; allows it once the Service changes', async () => {
    const denied = await review(webSlice('https'));
    expect(denied.allowed).to.equal(false);
    expect(denied.status!.message).to.contain('port-name-mismatch').and.contain('"https"/TCP').and.contain('"http"/TCP');
    api.put('shop', 'web', { ports: [{ name: 'https', port: 443, protocol: 'TCP' }], ipFamilies: ['IPv4'] });
    await until('the change to reach the cache', async () => (await review(webSlice('https'))).allowed === true);
    expect((await review(webSlice('http'))).allowed).to.equal(false);
  });

  it('waits briefly for a Service applied together with its slice, and judges the slice against it', async () => {
    setTimeout(() => api.put('shop', 'late', { ports: [{ name: 'grpc', port: 9000, protocol: 'TCP' }] }), 200);
    const answer = await review(webSlice('http', 'late'));
    expect(answer.allowed).to.equal(false);
    expect(answer.status!.message).to.contain('port-name-mismatch').and.contain('"grpc"/TCP');
  });

  it('only warns about a Service it has never seen', async () => {
    const answer = await review(webSlice('http', 'never'));
    expect(answer.allowed).to.equal(true);
    expect(answer.warnings!.join('\n')).to.match(/service-not-found|never/);
  });

  it('reports the cache in /metrics, marks it stale when the API server goes away, and skips the Service-aware rules with a warning', async () => {
    const metrics = async () => (await send(port, { ca: certs.caCert, method: 'GET', path: '/metrics' })).text;
    expect(await metrics()).to.match(/sliceguard_service_cache_state\{state="synced"\} 1/).and.match(/sliceguard_service_cache_services 2/);
    api.down = true;
    api.compact();
    api.cutWatches();
    await until('the cache to turn stale', async () => /sliceguard_service_cache_state\{state="stale"\} 1/.test(await metrics()), 15_000);
    const answer = await review(webSlice('nope'));
    expect(answer.allowed).to.equal(true);
    expect(answer.warnings![0]).to.equal('The Service cache is stale (its watch of the API server broke); Service-aware rules were skipped.');
    expect((await send(port, { ca: certs.caCert, method: 'GET', path: '/readyz' })).status, 'a stale cache keeps the webhook ready').to.equal(200);
    api.down = false;
    await until('the cache to recover', async () => /sliceguard_service_cache_state\{state="synced"\} 1/.test(await metrics()), 15_000);
    expect((await review(webSlice('nope'))).allowed).to.equal(false);
  });
});
