/**
 * `sliceguard serve` as a user and as kubelet run it: flag errors, start-up failures, the
 * throw-away certificates of `npm start`, and SIGTERM with a review in flight.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../cli/main.ts';
import { slice } from '../helpers/fixtures.ts';
import { admissionReview, certFiles, send, until, type CertFiles } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

function io(env: Record<string, string> = {}): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { cwd: ROOT, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: () => '', stdoutIsTTY: false, env } };
}

/** A `sliceguard serve` child process with its output collected. */
class ServeProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: NodeJS.ProcessEnv = process.env, nodeArgs: string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, 'cli/main.ts', 'serve', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (c: Buffer) => (this.stdout += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString()));
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  /** The JSON log lines so far. */
  logs(): Record<string, unknown>[] {
    return this.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async port(): Promise<number> {
    await until('the listening log line', () => this.logs().some((l) => l.msg === 'listening') || this.child.exitCode !== null, 20_000);
    const line = this.logs().find((l) => l.msg === 'listening');
    if (!line) throw new Error(`serve exited: ${this.stderr}`);
    return line.port as number;
  }
}

/** Writes a kubeconfig whose API server does not answer (port 1) into `dir` and returns its path. */
function unreachableKubeconfig(dir: string): string {
  const path = join(dir, 'kubeconfig-unreachable.yaml');
  writeFileSync(path, 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n');
  return path;
}

describe('sliceguard serve', function () {
  this.timeout(40_000);
  let certs: CertFiles;
  before(async () => {
    certs = await certFiles();
  });
  after(() => rmSync(certs.dir, { recursive: true, force: true }));

  it('exits 2 with one line for bad flags and start-up problems', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const busy = (taken.address() as { port: number }).port;
    const badPolicy = join(certs.dir, 'policy.yaml');
    writeFileSync(badPolicy, 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  no-such-rule: deny\n');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--cert', certs.certFile], {}, /^sliceguard: serve: --cert given without --key; give both or neither \[SG_USAGE\]\n$/],
      [['--on-error', 'maybe'], {}, /^sliceguard: serve: --on-error maybe: expected allow or deny \[SG_USAGE\]\n$/],
      [['--port', '70000'], {}, /^sliceguard: serve: --port 70000: expected a port number from 0 to 65535 \[SG_USAGE\]\n$/],
      [['--kube-version', '1.20'], {}, /^sliceguard: serve: --kube-version 1\.20: expected one of 1\.32, .* \[SG_USAGE\]\n$/],
      [[], { KUBERNETES_SERVICE_HOST: '10.96.0.1' }, /^sliceguard: serve: --cert and --key are required in a cluster .*\[SG_USAGE\]\n$/],
      [['--cert', '/nonexistent/tls.crt', '--key', certs.keyFile], {}, /^sliceguard: \/nonexistent\/tls\.crt: no such file or directory \[SG_CERT_UNREADABLE\]\n$/],
      [['--cert', certs.keyFile, '--key', certs.keyFile], {}, /the certificate is not a PEM X\.509 certificate .*\[SG_CERT_INVALID\]\n$/],
      [['--cert', certs.certFile, '--key', certs.keyFile, '--policy', badPolicy], {}, /rules\.no-such-rule: unknown rule id.*\[SG_POLICY_INVALID\]\n$/],
      [['--cert', certs.certFile, '--key', certs.keyFile, '--host', '127.0.0.1', '--port', String(busy), '--log-level', 'silent'], {}, new RegExp(`^sliceguard: cannot listen on 127\\.0\\.0\\.1:${busy}: the port is in use \\[SG_LISTEN_FAILED\\]\\n$`)],
    ];
    try {
      for (const [args, env, expected] of cases) {
        const run = io(env);
        expect(await main(['serve', ...args], run.io), args.join(' ')).to.equal(2);
        expect(run.err.join('')).to.match(expected);
      }
    } finally {
      taken.close();
    }
  });

  it('exits 2 on a start-up error even with a live Service cache running (its watch must not keep the process)', async () => {
    const kubeconfig = unreachableKubeconfig(certs.dir);
    const p = new ServeProcess(['--cert', '/nonexistent/tls.crt', '--key', certs.keyFile, '--kubeconfig', kubeconfig]);
    try {
      expect(await p.exited).to.equal(2);
      expect(p.stderr).to.equal('sliceguard: /nonexistent/tls.crt: no such file or directory [SG_CERT_UNREADABLE]\n');
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('loads @kubernetes/client-node only for the live Service cache, and node-forge only for throw-away certificates', async () => {
    // A preloaded probe records which of the two packages the process resolves, and prints them at exit.
    const probe = join(certs.dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({ resolve(specifier, context, next) {
  const r = next(specifier, context);
  const m = /node_modules\\/(@kubernetes\\/client-node|node-forge)\\//.exec(r.url);
  if (m) seen.add(m[1]);
  return r;
} });
process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify([...seen].sort()) + '\\n'));
`,
    );
    const kubeconfig = unreachableKubeconfig(certs.dir);
    const services = join(certs.dir, 'services.yaml');
    writeFileSync(services, 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {ports: [{name: http, port: 80}]}\n');
    const env = { ...process.env };
    delete env.KUBERNETES_SERVICE_HOST;
    const loaded = async (args: string[]): Promise<string[]> => {
      const p = new ServeProcess(['--port', '0', ...args], env, ['--import', probe]);
      try {
        const port = await p.port();
        // Throw-away certificates come with their own CA, named in the banner.
        const throwAway = !args.includes('--cert');
        if (throwAway) await until('the banner', () => p.stderr.includes('curl '));
        const ca = throwAway ? readFileSync(/CA certificate: +(\S+)/.exec(p.stderr)![1], 'utf8') : certs.caCert;
        const res = await send(port, { ca, body: JSON.stringify(admissionReview({ uid: 'probe', object: slice() })) });
        expect(res.status, args.join(' ')).to.equal(200);
        p.child.kill('SIGTERM');
        expect(await p.exited, args.join(' ')).to.equal(0);
        return JSON.parse(/^LOADED (.*)$/m.exec(p.stderr)![1]) as string[];
      } finally {
        p.child.kill('SIGKILL');
      }
    };
    expect(await loaded(['--cert', certs.certFile, '--key', certs.keyFile]), 'certificate files, no cache').to.deep.equal([]);
    expect(await loaded(['--cert', certs.certFile, '--key', certs.keyFile, '--services', services]), '--services').to.deep.equal([]);
    expect(await loaded(['--cert', certs.certFile, '--key', certs.keyFile, '--kubeconfig', kubeconfig]), 'live cache').to.deep.equal(['@kubernetes/client-node']);
    expect(await loaded([]), 'throw-away certificates').to.deep.equal(['node-forge']);
  });

  it('a kubeconfig that cannot be read leaves no throw-away certificates behind', async () => {
    const tmp = join(certs.dir, 'tmp-throwaway');
    mkdirSync(tmp);
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
    delete env.KUBERNETES_SERVICE_HOST;
    const p = new ServeProcess(['--port', '0', '--kubeconfig', join(certs.dir, 'no-such-kubeconfig')], env);
    try {
      expect(await p.exited).to.equal(2);
      expect(p.stderr).to.match(/^sliceguard: serve: --kubeconfig .*no-such-kubeconfig: .*\[SG_USAGE\]\n$/);
      expect(readdirSync(tmp)).to.deep.equal([]);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('prints its flags with --help', async () => {
    const run = io();
    expect(await main(['serve', '--help'], run.io)).to.equal(0);
    for (const flag of ['--cert', '--key', '--port', '--host', '--policy', '--metrics-port', '--services', '--on-error', '--no-service-cache']) expect(run.out.join('')).to.include(`  ${flag}`);
  });

  it('without certificates outside a cluster: a throw-away CA, and the printed curl line works', async () => {
    const env = { ...process.env };
    delete env.KUBERNETES_SERVICE_HOST;
    const p = new ServeProcess(['--port', '0'], env);
    try {
      const port = await p.port();
      await until('the banner', () => p.stderr.includes('curl '));
      const ca = /CA certificate: +(\S+)/.exec(p.stderr)![1];
      const curl = /^ {2}curl --cacert (\S+) (\S+) -H 'Content-Type: application\/json' -d @(\S+)$/m.exec(p.stderr)!;
      expect(curl[1]).to.equal(ca);
      expect(curl[2]).to.equal(`https://127.0.0.1:${port}/validate`);
      const res = await send(port, { ca: readFileSync(ca, 'utf8'), body: readFileSync(curl[3]) });
      expect((res.json as { response: { allowed: boolean; status: { message: string } } }).response).to.deep.include({ allowed: false });
      expect((res.json as { response: { status: { message: string } } }).response.status.message).to.match(/^1 problem \(rule special-ip\)/);
      p.child.kill('SIGTERM');
      expect(await p.exited).to.equal(0);
      expect(existsSync(ca)).to.equal(false);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('SIGTERM: readiness fails, new connections are refused, the review in flight is answered, exit 0', async () => {
    const p = new ServeProcess(['--cert', certs.certFile, '--key', certs.keyFile, '--host', '127.0.0.1', '--port', '0']);
    try {
      const port = await p.port();
      const body = Buffer.from(JSON.stringify(admissionReview({ object: slice(), uid: 'in-flight' })));
      // Headers and half of the body: the review is in flight until the rest arrives.
      let answer: Promise<{ status: number; connection: string | undefined; json: unknown }> | undefined;
      const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/validate?timeout=10s', ca: certs.caCert, agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } });
      answer = new Promise((done, fail) => {
        req.on('response', (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => done({ status: res.statusCode ?? 0, connection: res.headers.connection, json: JSON.parse(text) }));
        });
        req.on('error', fail);
      });
      req.write(body.subarray(0, body.length / 2));
      const inFlight = async (): Promise<boolean> => /^sliceguard_admission_in_flight_requests 1$/m.test((await send(port, { ca: certs.caCert, method: 'GET', path: '/metrics' })).text);
      await until('the review in flight', inFlight);

      p.child.kill('SIGTERM');
      await until('shutdown to start', () => p.logs().some((l) => String(l.msg).startsWith('shutting down')));
      const refused = await send(port, { ca: certs.caCert, method: 'GET', path: '/readyz' }).then(
        (r) => `answered ${r.status}`,
        (e: NodeJS.ErrnoException) => e.code,
      );
      expect(refused).to.equal('ECONNREFUSED');
      expect(p.child.exitCode).to.equal(null);

      req.end(body.subarray(body.length / 2));
      expect(await answer).to.deep.equal({
        status: 200,
        connection: 'close',
        json: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'in-flight', allowed: true } },
      });
      expect(await p.exited).to.equal(0);
      const msgs = p.logs().map((l) => l.msg);
      expect(msgs.slice(-3)).to.deep.equal(['shutting down: /readyz fails, no new connections, finishing in-flight reviews', 'admission', 'stopped']);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('shutdown in process: /readyz reasons say so at once, before the in-flight review is answered', async () => {
    const { startWebhook } = await import('../../webhook/server.ts');
    const { memoryLogger } = await import('./helpers.ts');
    const server = await startWebhook({ certFile: certs.certFile, keyFile: certs.keyFile, host: '127.0.0.1', port: 0, onError: 'deny', logger: memoryLogger().logger });
    const body = Buffer.from(JSON.stringify(admissionReview({ object: slice(), uid: 'late' })));
    const req = httpsRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/validate', ca: certs.caCert, agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } });
    const status = new Promise<number>((done, fail) => {
      req.on('response', (res) => (res.resume(), done(res.statusCode ?? 0)));
      req.on('error', fail);
    });
    req.write(body.subarray(0, 10));
    await until('the review in flight', async () => /^sliceguard_admission_in_flight_requests 1$/m.test(await server.metrics.registry.metrics()));
    expect(server.notReady()).to.deep.equal([]);
    let stopped = false;
    const stopping = server.shutdown().then(() => (stopped = true));
    expect(server.notReady()).to.deep.equal(['Shutting down.']);
    await new Promise((r) => setTimeout(r, 100)); // shutdown must still be waiting for the review
    expect(stopped).to.equal(false);
    req.end(body.subarray(10));
    expect(await status).to.equal(200);
    await stopping;
  });
});
