/**
 * Faults under load, against `sliceguard serve` as a process: certificate files replaced with
 * garbage, deleted, replaced with an expired certificate, or expiring while served; the policy
 * file broken while serving; SIGTERM with reviews in flight on 32 connections.
 */
import { expect } from 'chai';
import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { generateCertificateSet } from '../../certs/generate.ts';
import { ensureBuilt } from '../cli/built-cli.ts';
import { admissionReview, certFiles, type CertFiles } from '../webhook/helpers.ts';
import { slice } from '../helpers/fixtures.ts';
import { goodClient, startServe, type ServeProcess } from './webhook-run.ts';

// Blocks TEST-NET-1, which the default policy allows: only this policy denies 192.0.2.10.
const POLICY = 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  special-ip:\n    severity: deny\n    options: {blockedCIDRs: [192.0.2.0/24]}\n';

/** The SHA-256 fingerprint of the certificate the server presents now. */
function servedFingerprint(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, ca, rejectUnauthorized: false }, () => {
      resolve(s.getPeerCertificate().fingerprint256);
      s.end();
    });
    s.on('error', reject);
  });
}

/** GETs a path (certificate not verified, as kubelet's probes do) and returns status and body. */
function get(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => void (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, test: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('hardening: faults while the webhook serves', function () {
  this.timeout(60_000);
  let certs: CertFiles;
  before(async () => {
    ensureBuilt();
    certs = await certFiles();
  });
  after(() => rmSync(certs.dir, { recursive: true, force: true }));

  it('certificate files replaced with garbage, deleted, or expired: the old certificate keeps serving, the log says why, no review fails', async () => {
    const server = await startServe(['--cert', certs.certFile, '--key', certs.keyFile, '--reload-interval', '0.1', '--log-level', 'info'], certs.dir);
    const good = goodClient(server.port, certs.caCert);
    const refusals = () => server.logs.filter((l) => l.msg === 'new serving certificate refused; keeping the old one').map((l) => String(l.err));
    try {
      const original = await servedFingerprint(server.port, certs.caCert);
      writeFileSync(certs.certFile, 'not a certificate\n');
      await until('the garbage to be refused', () => refusals().length === 1);
      unlinkSync(certs.keyFile);
      await until('the deleted key to be refused', () => refusals().length === 2);
      const expired = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(Date.now() - 3 * 86_400_000), days: 1, ca: { cert: certs.caCert, key: certs.caKey } });
      writeFileSync(certs.keyFile, expired.key);
      writeFileSync(certs.certFile, expired.cert);
      await until('the expired pair to be refused', () => refusals().some((r) => r.includes('expired')));
      expect(await servedFingerprint(server.port, certs.caCert)).to.equal(original);
      expect((await get(server.port, '/readyz')).status).to.equal(200);
      expect(refusals()[0]).to.match(/not a PEM X\.509 certificate/);
      expect(refusals()[1]).to.match(/ENOENT/);
      // A good pair from the same CA is taken at once, without a failed review.
      const fresh = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date(), days: 2, ca: { cert: certs.caCert, key: certs.caKey } });
      writeFileSync(certs.keyFile, fresh.key);
      writeFileSync(certs.certFile, fresh.cert);
      await until('the new certificate to be served', async () => (await servedFingerprint(server.port, certs.caCert)) !== original);
      const result = await good.stop();
      expect(result.failures).to.deep.equal([]);
      expect(result.correct).to.be.above(20);
    } finally {
      await good.stop();
      server.proc.kill('SIGTERM');
      expect(await server.exited).to.equal(0);
      writeFileSync(certs.certFile, certs.cert);
      writeFileSync(certs.keyFile, certs.key);
    }
  });

  it('a certificate that expires while served: /readyz fails and says so', async () => {
    const short = await certFiles({ now: new Date(Date.now() - 86_400_000 + 4_000), days: 1 });
    const server = await startServe(['--cert', short.certFile, '--key', short.keyFile], short.dir);
    try {
      expect((await get(server.port, '/readyz')).status).to.equal(200);
      await until('the certificate to expire', async () => (await get(server.port, '/readyz')).status === 503, 15_000);
      const body = JSON.parse((await get(server.port, '/readyz')).text) as { reasons: string[] };
      expect(body.reasons[0]).to.match(/^Serving certificate: the certificate expired at \S+\.$/);
      expect((await get(server.port, '/healthz')).status).to.equal(200);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited;
      rmSync(short.dir, { recursive: true, force: true });
    }
  });

  it('the policy file broken while serving: the last good policy keeps deciding, the log says why', async () => {
    const policyFile = join(certs.dir, 'policy.yaml');
    writeFileSync(policyFile, POLICY);
    const server = await startServe(['--cert', certs.certFile, '--key', certs.keyFile, '--policy', policyFile, '--reload-interval', '0.1', '--log-level', 'info'], certs.dir);
    const good = goodClient(server.port, certs.caCert);
    const refused = () => server.logs.filter((l) => l.msg === 'new policy refused; keeping the old one').map((l) => String(l.err));
    try {
      for (const broken of ['rules: [unclosed\n', `${POLICY}  no-such-rule: deny\n`, 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  special-ip: off-ish\n', '\u0000\u0001binary']) {
        const before = refused().length;
        writeFileSync(policyFile, broken);
        await until(`${JSON.stringify(broken)} to be refused`, () => refused().length === before + 1);
      }
      unlinkSync(policyFile);
      await until('the deleted policy to be refused', () => refused().some((r) => r.includes('ENOENT')));
      const blocked = await new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/validate', ca: certs.caCert, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => void (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end(JSON.stringify(admissionReview({ uid: 'blocked', object: slice({ endpoints: [{ addresses: ['192.0.2.10'] }] }) })));
      });
      expect(JSON.parse(blocked).response).to.deep.include({ uid: 'blocked', allowed: false });
      expect(blocked).to.include('in the blocked CIDR');
      const result = await good.stop();
      expect(result.failures).to.deep.equal([]);
      expect(result.correct).to.be.above(20);
      expect(refused()[1]).to.include('no-such-rule');
    } finally {
      await good.stop();
      server.proc.kill('SIGTERM');
      await server.exited;
    }
  });

  it('SIGTERM under load: every review gets a whole answer or a connection error before any byte of one, and the process exits 0', async () => {
    const server = await startServe(['--cert', certs.certFile, '--key', certs.keyFile, '--shutdown-timeout', '5'], certs.dir);
    const tally = { answered: 0, refusedBeforeAnswer: 0, broken: [] as string[] };
    let stopping = false;
    const one = (n: number, keepAlive: boolean): Promise<void> => new Promise((resolve) => {
      const uid = `t-${n}`;
      let gotResponse = false;
      const req = request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/validate?timeout=10s', ca: certs.caCert, agent: false, headers: { 'content-type': 'application/json', connection: keepAlive ? 'keep-alive' : 'close' } }, (res) => {
        gotResponse = true;
        let text = '';
        res.on('data', (c: Buffer) => void (text += c));
        res.on('error', (err) => {
          tally.broken.push(`${uid}: response cut: ${err.message}`);
          resolve();
        });
        res.on('end', () => {
          try {
            const answer = JSON.parse(text) as { response: { uid: string; allowed: boolean } };
            if (res.statusCode === 200 && answer.response.uid === uid && answer.response.allowed === true) tally.answered++;
            else tally.broken.push(`${uid}: HTTP ${res.statusCode} ${text.slice(0, 120)}`);
          } catch {
            tally.broken.push(`${uid}: half an answer: ${text.slice(0, 120)}`);
          }
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (gotResponse) return; // reported by the response's own error
        if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(err.code ?? '') || err.message === 'socket hang up') tally.refusedBeforeAnswer++;
        else tally.broken.push(`${uid}: ${err.code} ${err.message}`);
        resolve();
      });
      req.end(JSON.stringify(admissionReview({ uid, object: slice() })));
    });
    let n = 0;
    const lanes = Array.from({ length: 32 }, async (_, lane) => {
      while (!stopping) await one(n++, lane % 2 === 0);
    });
    await sleep(1500);
    const answeredBefore = tally.answered;
    server.proc.kill('SIGTERM');
    const code = await Promise.race([server.exited, sleep(10_000).then(() => 'still running')]);
    stopping = true;
    await Promise.all(lanes);
    expect(code).to.equal(0);
    expect(answeredBefore).to.be.above(50);
    expect(tally.broken).to.deep.equal([]);
    expect(tally.refusedBeforeAnswer).to.be.above(0);
  });
});
