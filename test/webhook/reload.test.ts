/**
 * Certificate and policy reload under a running server. The files are swapped the way kubelet
 * updates Secret and ConfigMap volumes: a new timestamped directory, then an atomic rename of the
 * `..data` symlink that the visible files point through.
 */
import { expect } from 'chai';
import { Agent } from 'node:https';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebhook, type WebhookServer } from '../../webhook/server.ts';
import { slice } from '../helpers/fixtures.ts';
import { admissionReview, certFiles, memoryLogger, send, until, type CertFiles } from './helpers.ts';

/** A directory laid out as kubelet mounts a Secret or ConfigMap volume. */
class AtomicVolume {
  readonly dir = mkdtempSync(join(tmpdir(), 'sg-volume-'));
  private generation = 0;

  constructor(files: Record<string, string>) {
    this.swap(files);
    for (const name of Object.keys(files)) symlinkSync(join('..data', name), join(this.dir, name));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  /** Writes the new files into a fresh directory and points `..data` at it in one rename. */
  swap(files: Record<string, string>): void {
    const version = `..2026_01_01_00_00_${String(this.generation++).padStart(2, '0')}.${process.pid}`;
    mkdirSync(join(this.dir, version));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, version, name), text);
    symlinkSync(version, join(this.dir, '..data_tmp'));
    renameSync(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const POLICY_HEADER = 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\n';

describe('webhook reload', function () {
  this.timeout(30_000);
  let a: CertFiles;
  let b: CertFiles;
  const cleanup: (() => unknown)[] = [];
  before(async () => {
    [a, b] = await Promise.all([certFiles(), certFiles()]);
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });
  after(() => {
    for (const c of [a, b]) rmSync(c.dir, { recursive: true, force: true });
  });

  async function serve(tls: AtomicVolume, extra: { policyFile?: string; now?: () => number } = {}): Promise<{ server: WebhookServer; log: ReturnType<typeof memoryLogger> }> {
    const log = memoryLogger();
    const server = await startWebhook({ certFile: tls.path('tls.crt'), keyFile: tls.path('tls.key'), host: '127.0.0.1', port: 0, onError: 'deny', logger: log.logger, reloadIntervalMs: 50, ...extra });
    cleanup.push(() => server.shutdown());
    return { server, log };
  }
  function volume(files: Record<string, string>): AtomicVolume {
    const v = new AtomicVolume(files);
    cleanup.push(() => v.remove());
    return v;
  }
  const trusts = async (port: number, ca: string): Promise<boolean> =>
    send(port, { ca, method: 'GET', path: '/healthz' }).then(
      (r) => r.status === 200,
      () => false,
    );
  const metric = async (server: WebhookServer, name: string): Promise<number> => {
    const line = (await server.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.split(' ')[1]);
  };

  it('switches to a new certificate after a ..data swap, without dropping an open connection', async () => {
    const tls = volume({ 'tls.crt': a.cert, 'tls.key': a.key });
    const { server, log } = await serve(tls);
    const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: a.caCert });
    cleanup.push(() => agent.destroy());
    const review = JSON.stringify(admissionReview({ object: slice() }));
    expect((await send(server.port, { ca: a.caCert, body: review, agent })).status).to.equal(200);

    tls.swap({ 'tls.crt': b.cert, 'tls.key': b.key });
    await until('the new certificate', () => trusts(server.port, b.caCert));
    expect(await trusts(server.port, a.caCert)).to.equal(false);
    // The connection opened before the swap keeps working with the old certificate.
    const again = await send(server.port, { ca: a.caCert, body: review, agent });
    expect([again.status, again.reused]).to.deep.equal([200, true]);
    expect(await metric(server, 'sliceguard_certificate_reloads_total{result="success"}')).to.equal(2);
    expect(log.lines.find((l) => l.msg === 'serving certificate reloaded')).to.deep.include({ subject: 'CN=localhost', sha256: new X509Certificate(b.cert).fingerprint256 });
  });

  it('keeps the old certificate when the new one is broken, mismatched or expired, and says why', async () => {
    const tls = volume({ 'tls.crt': a.cert, 'tls.key': a.key });
    const { server, log } = await serve(tls);
    const expired = await certFiles({ now: new Date(Date.now() - 3 * 86_400_000), days: 1 });
    cleanup.push(() => rmSync(expired.dir, { recursive: true, force: true }));
    const attempts: [Record<string, string>, RegExp][] = [
      [{ 'tls.crt': 'not a certificate\n', 'tls.key': a.key }, /the certificate is not a PEM X\.509 certificate/],
      [{ 'tls.crt': b.cert, 'tls.key': a.key }, /the private key does not belong to the certificate\./],
      [{ 'tls.crt': expired.cert, 'tls.key': expired.key }, /the certificate expired at \d{4}-/],
    ];
    for (const [i, [files, why]] of attempts.entries()) {
      tls.swap(files);
      await until(`refusal ${i + 1}`, async () => (await metric(server, 'sliceguard_certificate_reloads_total{result="failure"}')) === i + 1);
      expect(await trusts(server.port, a.caCert)).to.equal(true);
      const line = log.lines.filter((l) => l.msg === 'new serving certificate refused; keeping the old one').at(-1);
      expect(line).to.deep.include({ level: 50, certFile: tls.path('tls.crt') });
      expect(line!.err).to.match(why);
    }
    expect(server.notReady()).to.deep.equal([]);
    // A good pair after the bad ones is taken.
    tls.swap({ 'tls.crt': b.cert, 'tls.key': b.key });
    await until('the good certificate', () => trusts(server.port, b.caCert));
  });

  it('/readyz fails while the certificate in use is expired and recovers when a valid one arrives', async () => {
    const expired = await certFiles({ now: new Date(Date.now() - 3 * 86_400_000), days: 1 });
    cleanup.push(() => rmSync(expired.dir, { recursive: true, force: true }));
    const tls = volume({ 'tls.crt': expired.cert, 'tls.key': expired.key });
    const { server } = await serve(tls);
    // kubelet's HTTPS probes do not verify the certificate.
    const probe = (): Promise<{ status: number; json: unknown }> => send(server.port, { method: 'GET', path: '/readyz', rejectUnauthorized: false });
    const notReady = await probe();
    expect(notReady.status).to.equal(503);
    expect(notReady.json).to.deep.equal({ ready: false, reasons: [`Serving certificate: the certificate expired at ${new Date(new X509Certificate(expired.cert).validTo).toISOString()}.`] });
    tls.swap({ 'tls.crt': a.cert, 'tls.key': a.key });
    await until('readiness', async () => (await probe()).status === 200);
  });

  it('reloads the policy on change and keeps the last good one when the new one is invalid', async () => {
    const tls = volume({ 'tls.crt': a.cert, 'tls.key': a.key });
    const config = volume({ 'policy.yaml': `${POLICY_HEADER}rules:\n  multi-address-endpoint: warn\n` });
    const { server, log } = await serve(tls, { policyFile: config.path('policy.yaml') });
    const review = JSON.stringify(admissionReview({ object: slice({ endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }] }) }));
    const allowed = async (): Promise<boolean> => ((await send(server.port, { ca: a.caCert, body: review })).json as { response: { allowed: boolean } }).response.allowed;
    expect(await allowed()).to.equal(true);

    config.swap({ 'policy.yaml': `${POLICY_HEADER}rules:\n  multi-address-endpoint: deny\n` });
    await until('the stricter policy', async () => !(await allowed()));
    expect(log.lines.find((l) => l.msg === 'policy reloaded')).to.deep.include({ level: 30, policyFile: config.path('policy.yaml') });

    const broken: [string, string][] = [
      [`${POLICY_HEADER}rules: [unclosed\n`, 'not valid YAML'],
      [`${POLICY_HEADER}rules:\n  multi-adress-endpoint: deny\n`, 'rules.multi-adress-endpoint: unknown rule id (did you mean "multi-address-endpoint"?)'],
    ];
    for (const [i, [text, why]] of broken.entries()) {
      config.swap({ 'policy.yaml': text });
      await until(`refusal ${i + 1}`, async () => (await metric(server, 'sliceguard_policy_reloads_total{result="failure"}')) === i + 1);
      expect(await allowed()).to.equal(false);
      expect(String(log.lines.filter((l) => l.msg === 'new policy refused; keeping the old one').at(-1)?.err)).to.include(why);
    }
    expect(await metric(server, 'sliceguard_policy_reloads_total{result="success"}')).to.equal(2);
  });
});
