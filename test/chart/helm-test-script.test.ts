// Runs the chart's `helm test` script (charts/sliceguard/files/helm-test.mjs) as the test pod
// does, against a local HTTPS server with a certificate for "localhost" from a throw-away CA.
// The server judges the review with sliceguard's own engine and default policy, so the test
// also shows that the script's slice is one the API-server rules accept.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { evaluate } from '../../policies/engine.ts';
import { createPolicy } from '../../policies/policy.ts';
import { CHART } from './render.ts';
import { makeCerts, type TestCerts } from './tls.ts';

const SCRIPT = join(CHART, 'files', 'helm-test.mjs');
type Answer = (review: { request: { uid: string; object: unknown; namespace: string; userInfo: object } }) => { status: number; body: unknown };

describe('chart: the helm test script', () => {
  let dir: string;
  let server: Server;
  let answer: Answer;
  let certs: TestCerts;
  let otherCa: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-helm-test-'));
    certs = makeCerts(dir, 'a');
    otherCa = makeCerts(dir, 'b').ca;
    server = createServer({ cert: readFileSync(certs.cert), key: readFileSync(certs.key) }, (req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => {
        const { status, body } = answer(JSON.parse(text));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof body === 'string' ? body : JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  after(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runScript(ca = certs.ca): Promise<{ code: number; stdout: string; stderr: string }> {
    const url = `https://localhost:${(server.address() as AddressInfo).port}/validate`;
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT], {
        env: { SLICEGUARD_URL: url, SLICEGUARD_CA_FILE: ca },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  const review = (uid: string, response: object) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid, ...response } });

  it('passes on a proper answer; its slice is allowed by the default policy', async () => {
    let denials: string[] | undefined;
    answer = ({ request }) => {
      const context = { operation: 'CREATE', namespace: request.namespace, userInfo: request.userInfo, mode: 'webhook' } as const;
      const report = evaluate(request.object, createPolicy(), context);
      denials = report.findings.filter((f) => f.severity === 'deny').map((f) => `${f.rule}: ${f.message}`);
      return { status: 200, body: review(request.uid, { allowed: report.allowed }) };
    };
    const result = await runScript();
    expect(denials).to.deep.equal([]);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^sliceguard answered https:\/\/localhost:\d+\/validate: allowed=true, 0 warning\(s\)\n$/);
  });

  it('passes on a denial too, and prints its message (the decision belongs to the policy)', async () => {
    answer = ({ request }) => ({ status: 200, body: review(request.uid, { allowed: false, status: { code: 403, message: 'Denied by service-not-found.' } }) });
    const result = await runScript();
    expect(result.code).to.equal(0);
    expect(result.stdout).to.contain('allowed=false, 0 warning(s): Denied by service-not-found.');
  });

  const failures: [string, Answer, RegExp][] = [
    ['another uid', () => ({ status: 200, body: review('someone-else', { allowed: true }) }), /response\.uid is "someone-else"/],
    ['HTTP 500', () => ({ status: 500, body: 'boom' }), /HTTP status 500, expected 200: boom/],
    ['a body that is not JSON', () => ({ status: 200, body: 'ok' }), /the body is not JSON/],
    ['a patch from /validate', ({ request }) => ({ status: 200, body: review(request.uid, { allowed: true, patch: 'W10=' }) }), /returned a patch/],
    ['no allowed field', ({ request }) => ({ status: 200, body: review(request.uid, {}) }), /allowed is not a boolean/],
  ];
  for (const [name, respond, message] of failures) {
    it(`fails on ${name}`, async () => {
      answer = respond;
      const result = await runScript();
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(message);
    });
  }

  it('fails when the server\'s certificate is not signed by the given CA', async () => {
    answer = ({ request }) => ({ status: 200, body: review(request.uid, { allowed: true }) });
    const result = await runScript(otherCa);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/cannot reach https:\/\/localhost:\d+\/validate: .*(certificate|issuer)/i);
  });
});
