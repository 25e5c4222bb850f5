// The chart and the program it runs must agree: this starts the real `sliceguard serve` with the
// exact arguments the rendered Deployment gives it (mount paths mapped to temporary directories),
// then does what the kubelet, Prometheus and `helm test` do: the probes, a metrics scrape and
// the helm test script, and finally SIGTERM.
import { expect } from 'chai';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { at, CHART, FULLNAME, one, render } from './render.ts';
import { makeCerts, type TestCerts } from './tls.ts';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** GETs a URL and returns the status and body (HTTPS with `ca`, plain HTTP without). */
function fetchText(url: string, ca?: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolveFetch, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolveFetch({ status: res.statusCode ?? 0, body }));
    };
    const req = ca ? httpsGet(url, { ca }, done) : httpGet(url, done);
    req.on('error', reject);
  });
}

type Container = { args: string[]; readinessProbe: { httpGet: { path: string } }; livenessProbe: { httpGet: { path: string } } };

describe('chart: the rendered Deployment starts the real webhook', () => {
  let dir: string;
  let certs: TestCerts;
  let child: ChildProcess | undefined;
  let port: number;
  let metricsPort: number;
  let container: Container;
  let log = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-serve-'));
    certs = makeCerts(dir, 'serve');
    [port, metricsPort] = [await freePort(), await freePort()];
    const objects = render({ webhook: { port }, metrics: { port: metricsPort } });
    container = at(one(objects, 'Deployment'), 'spec.template.spec.containers.0') as Container;
    // The Secret and ConfigMap volumes, as the kubelet would mount them.
    mkdirSync(join(dir, 'tls'));
    writeFileSync(join(dir, 'tls', 'tls.crt'), readFileSync(certs.cert));
    writeFileSync(join(dir, 'tls', 'tls.key'), readFileSync(certs.key));
    mkdirSync(join(dir, 'policy'));
    const policy = (one(objects, 'ConfigMap', `${FULLNAME}-policy`).data as Record<string, string>)['policy.yaml'];
    writeFileSync(join(dir, 'policy', 'policy.yaml'), policy);
    const args = container.args.map((a) => a.replace('/etc/sliceguard/', `${dir}/`));
    // No KUBERNETES_SERVICE_HOST and no kubeconfig: outside a cluster the Service cache stays off.
    child = spawn(process.execPath, [join(ROOT, 'cli', 'main.ts'), ...args], {
      env: { PATH: process.env.PATH, KUBECONFIG: join(dir, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (c) => (log += c));
    child.stderr?.on('data', (c) => (log += c));
    // Wait (not a timed assertion) until the readiness probe would pass, or the process ends.
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`sliceguard serve exited ${child.exitCode}: ${log}`);
      const ready = await fetchText(`https://localhost:${port}/readyz`, readFileSync(certs.ca)).catch(() => undefined);
      if (ready?.status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`sliceguard serve did not become ready: ${log}`);
  });

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the readiness and liveness probes over HTTPS on the webhook port', async () => {
    const ca = readFileSync(certs.ca);
    for (const probe of [container.readinessProbe, container.livenessProbe]) {
      const { status } = await fetchText(`https://localhost:${port}${probe.httpGet.path}`, ca);
      expect(status, probe.httpGet.path).to.equal(200);
    }
  });

  it('serves Prometheus metrics over plain HTTP on the metrics port (ServiceMonitor scheme http)', async () => {
    const { status, body } = await fetchText(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(status).to.equal(200);
    expect(body).to.contain('# TYPE');
  });

  it('passes the helm test script', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(CHART, 'files', 'helm-test.mjs')], {
      env: { SLICEGUARD_URL: `https://localhost:${port}/validate`, SLICEGUARD_CA_FILE: certs.ca },
    });
    expect(stdout).to.match(/^sliceguard answered https:\/\/localhost:\d+\/validate: allowed=true/);
  });

  it('exits cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child?.once('exit', (code) => r(code)));
    child?.kill('SIGTERM');
    expect(await exited, log).to.equal(0);
  });
});
