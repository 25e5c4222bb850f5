/**
 * `sliceguard certs ensure` (the built CLI, as the chart's Job runs it) when the Kubernetes API
 * is unreachable, answers 500 or 409 forever, answers something that is not JSON, or accepts the
 * connection and never answers: each ends with one line on stderr and exit 2, in bounded time.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeCertsApi, loadKubeConfig } from '../../certs/kube.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { CLI, ensureBuilt } from '../cli/built-cli.ts';
import { FakeKubeApi } from '../helpers/fake-kube-api.ts';

const ARGS = ['certs', 'ensure', '--secret', 'sg-tls', '--namespace', 'sg-system', '--service', 'sg', '--webhook-config', 'sg-validating'];

/** Runs `certs ensure` against a kubeconfig; returns exit code, output and time. */
function ensure(kubeconfig: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...ARGS, '--kubeconfig', kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d));
    child.stderr.on('data', (d: Buffer) => void (stderr += d));
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('hardening: certs ensure when the Kubernetes API misbehaves', function () {
  this.timeout(90_000);
  let fake: FakeKubeApi;
  let dir: string;
  const server = () => (fake as unknown as { server: Server }).server;

  before(() => ensureBuilt());
  beforeEach(async () => {
    fake = new FakeKubeApi();
    await fake.start();
    fake.put('validatingwebhookconfigurations', { metadata: { name: 'sg-validating' }, webhooks: [{ name: 'validate.sliceguard.dev', clientConfig: { service: { name: 'sg', namespace: 'sg-system' } } }] });
    dir = mkdtempSync(join(tmpdir(), 'sg-ensure-faults-'));
  });
  afterEach(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('unreachable (nothing listens): one line, exit 2', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, readFileSync(fake.kubeconfig(), 'utf8'));
    await fake.stop();
    const r = await ensure(kubeconfig);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^sliceguard: get Secret sg-system\/sg-tls: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \[SG_KUBE_API\]\n$/);
  });

  it('500 on every call: one line with the API message, exit 2, nothing written', async () => {
    fake.intercept = () => ({ status: 500, reason: 'InternalError', message: 'etcdserver: request timed out' });
    const r = await ensure(fake.kubeconfig());
    expect([r.code, r.stderr]).to.deep.equal([2, 'sliceguard: get Secret sg-system/sg-tls: etcdserver: request timed out (HTTP 500) [SG_KUBE_API]\n']);
    expect(fake.get('secrets', 'sg-tls', 'sg-system')).to.equal(undefined);
  });

  it('409 on every write: gives up after five tries with the API message, exit 2', async () => {
    fake.intercept = (req) => (req.method === 'GET' ? undefined : { status: 409, reason: 'Conflict', message: 'the object has been modified; please apply your changes to the latest version and try again' });
    const r = await ensure(fake.kubeconfig());
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^sliceguard: Gave up after 5 conflicting writes; last: .*the object has been modified.* \[SG_KUBE_API\]\n$/);
  });

  it('an answer that is not JSON (a proxy\'s error page): one line, exit 2', async () => {
    server().removeAllListeners('request');
    server().on('request', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html><body>502 Bad Gateway</body></html>');
    });
    const r = await ensure(fake.kubeconfig());
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/^sliceguard: get Secret sg-system\/sg-tls: .*not valid JSON \[SG_KUBE_API\]\n$/);
  });

  it('a server that accepts and never answers: each call gives up at its timeout', async () => {
    server().removeAllListeners('request');
    server().on('request', () => {}); // holds every request
    const api = kubeCertsApi(loadKubeConfig(fake.kubeconfig(), {}), 300);
    const started = Date.now();
    const err = await api.readSecret('sg-system', 'sg-tls').then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(SliceguardError);
    expect((err as SliceguardError).message).to.equal('get Secret sg-system/sg-tls: no answer from the API server within 0.3 s');
    expect(Date.now() - started).to.be.below(5_000);
  });
});
