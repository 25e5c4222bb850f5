/**
 * The real server over real TLS on 127.0.0.1, called the way kube-apiserver calls it: a client
 * that verifies the serving certificate against the CA (the webhook's caBundle), POSTs with
 * `?timeout=10s`, keep-alive connections.
 */
import { expect } from 'chai';
import { Agent, request as httpsRequest } from 'node:https';
import { get as httpGet } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import { rmSync } from 'node:fs';
import { startWebhook, type WebhookServer } from '../../webhook/server.ts';
import { MAX_BODY_BYTES } from '../../webhook/http.ts';
import { applyPatch } from '../../policies/patch.ts';
import { createPolicy } from '../../policies/policy.ts';
import { reviewAdmission } from '../../webhook/review.ts';
import { slice } from '../helpers/fixtures.ts';
import { admissionReview, certFiles, decodePatch, memoryLogger, send, type Answer, type CertFiles } from './helpers.ts';

const UID = '705ab4f5-6393-11e8-b7cc-42010a800002';
type Obj = Record<string, unknown>;

describe('webhook server over TLS', function () {
  this.timeout(30_000);
  let certs: CertFiles;
  let server: WebhookServer;
  let agent: Agent;
  let log: ReturnType<typeof memoryLogger>;
  const post = (body: unknown, path = '/validate?timeout=10s', headers: Obj = {}): Promise<Answer> =>
    send(server.port, { ca: certs.caCert, path, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), headers, agent });

  before(async () => {
    certs = await certFiles();
    log = memoryLogger();
    server = await startWebhook({ certFile: certs.certFile, keyFile: certs.keyFile, host: '127.0.0.1', port: 0, metricsPort: 0, onError: 'deny', logger: log.logger });
    agent = new Agent({ keepAlive: true, ca: certs.caCert, maxSockets: 4 });
  });
  after(async () => {
    agent.destroy();
    await server.shutdown();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('CREATE: the whole answer, as JSON with a length', async () => {
    const res = await post(admissionReview({ object: slice() }));
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/json');
    expect(Number(res.headers['content-length'])).to.equal(Buffer.byteLength(res.text));
    expect(res.json).to.deep.equal({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: UID, allowed: true } });
  });

  it('UPDATE with oldObject: judged against the stored object', async () => {
    const object = slice({ addressType: 'IPv6', endpoints: [{ addresses: ['fd00::1'] }] });
    const res = await post(admissionReview({ operation: 'UPDATE', object, oldObject: slice(), uid: 'u-update' }));
    expect(res.json).to.deep.equal({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-update',
        allowed: false,
        status: { code: 403, reason: 'Forbidden', message: '1 problem (rule address-type): [address-type] addressType: Address type cannot change on update: it was "IPv4" and is now "IPv6".' },
      },
    });
  });

  it('DELETE: object null, nothing to check', async () => {
    const res = await post(admissionReview({ operation: 'DELETE', object: null, oldObject: slice({ endpoints: [{ addresses: ['240.0.0.1'] }] }), uid: 'u-del' }));
    expect(res.json).to.deep.equal({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-del', allowed: true } });
  });

  it('CREATE through generateName on /mutate: the decoded patch applies and the result passes /validate', async () => {
    const object = slice({ labels: { 'kubernetes.io/service-name': 'example' } });
    const meta = object.metadata as Obj;
    delete meta.name;
    meta.generateName = 'example-';
    const res = await post(admissionReview({ object, uid: 'u-gen' }), '/mutate?timeout=10s');
    expect(res.json).to.deep.equal({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: {
        uid: 'u-gen',
        allowed: true,
        patchType: 'JSONPatch',
        patch: Buffer.from(JSON.stringify([{ op: 'add', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by', value: 'sliceguard' }])).toString('base64'),
      },
    });
    const fixed = applyPatch(object, decodePatch(res.json)!);
    expect((await post(admissionReview({ object: fixed, uid: 'u-gen2' }))).json).to.deep.equal({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: 'u-gen2', allowed: true } });
    expect(log.lines.find((l) => l.uid === 'u-gen')).to.deep.include({ name: 'example-*', decision: 'patched', patchOps: 1 });
  });

  it('dryRun: the same answer as the real write', async () => {
    const object = slice({ endpoints: [{ addresses: ['240.0.0.1'] }] });
    const wet = await post(admissionReview({ object }));
    const dry = await post(admissionReview({ object, dryRun: true }));
    expect(dry.json).to.deep.equal(wet.json);
    expect(log.lines.filter((l) => l.uid === UID && l.dryRun === true)).to.have.length(1);
  });

  it('1000-endpoint UPDATE near 600 kB: validated and mutated', async () => {
    const endpoints = (shift: number): unknown[] =>
      Array.from({ length: 1000 }, (_, i) => ({
        addresses: [`10.1.${Math.floor((i + shift) / 250)}.${((i + shift) % 250) + 1}`],
        conditions: { ready: true, serving: true, terminating: false },
        nodeName: `worker-node-${i % 13}.cluster.internal`,
        zone: `europe-west4-${'abc'[i % 3]}`,
        targetRef: { kind: 'Pod', name: `web-7d4b9c6f8-${i.toString(36).padStart(5, 'q')}`, namespace: 'default', uid: `8e0c4a36-0a3e-4c1b-9b1e-${String(i).padStart(12, '0')}` },
      }));
    const labels = { 'kubernetes.io/service-name': 'example' };
    const body = JSON.stringify(admissionReview({ operation: 'UPDATE', object: slice({ endpoints: endpoints(1), labels }), oldObject: slice({ endpoints: endpoints(0), labels }), uid: 'u-big' }));
    expect(body.length).to.be.within(550_000, 650_000);
    const validated = await post(body);
    expect(validated.json).to.deep.equal({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      response: { uid: 'u-big', allowed: true, warnings: ['Slice has no endpointslice.kubernetes.io/managed-by label; set it to the tool or team that writes it.'] },
    });
    const mutated = await post(body, '/mutate');
    expect(decodePatch(mutated.json)).to.deep.equal([{ op: 'add', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by', value: 'sliceguard' }]);
  });

  it('a burst of concurrent reviews on their own connections: each gets its own whole answer, as the pure review gives it', async () => {
    // Sent together, these arrive in the same turns of the server's event loop and are answered
    // in batches (webhook/http.ts): allowed, denied, mutated, unparsable and large ones mixed.
    const denied = slice({ addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }] });
    const big = slice({ endpoints: 1000, labels: { 'kubernetes.io/service-name': 'example' } });
    const requests: { body: string; path: 'validate' | 'mutate' }[] = [];
    for (let i = 0; i < 48; i++) {
      const object = i % 4 === 1 ? denied : i % 12 === 7 ? big : slice({ metadata: { name: `web-${i}` } });
      const body = i % 8 === 3 ? `{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "x${i}"` : JSON.stringify(admissionReview({ uid: `burst-${i}`, object }));
      requests.push({ body, path: i % 5 === 2 ? 'mutate' : 'validate' });
    }
    const answers = await Promise.all(requests.map((r) => send(server.port, { ca: certs.caCert, path: `/${r.path}?timeout=10s`, body: r.body })));
    const policy = createPolicy();
    answers.forEach((res, i) => {
      const r = requests[i];
      if (i % 8 === 3) {
        expect(res.status, `request ${i}`).to.equal(400);
        expect((res.json as { message: string }).message, `request ${i}`).to.match(/^Expected an AdmissionReview v1 in JSON; /);
        return;
      }
      const pure = reviewAdmission(JSON.parse(r.body), r.path, { policy, onError: 'deny' });
      expect(res.status, `request ${i}`).to.equal(pure.status);
      expect(res.json, `request ${i}`).to.deep.equal(pure.body);
      expect((res.json as { response: { uid: string } }).response.uid).to.equal(`burst-${i}`);
    });
    // The mix holds denials (on /validate; /mutate only patches) and patches.
    expect(answers.filter((a) => (a.json as { response?: { allowed?: boolean } }).response?.allowed === false)).to.have.length(10);
    expect(answers.filter((a) => decodePatch(a.json) !== undefined).length).to.be.greaterThan(0);
  });

  it('reads a body of exactly 3 MiB; answers 413 one byte over, declared or chunked', async () => {
    const text = JSON.stringify(admissionReview({ object: slice(), uid: 'u-3mib' }));
    const exact = text + ' '.repeat(MAX_BODY_BYTES - text.length); // JSON allows trailing white space
    expect(Buffer.byteLength(exact)).to.equal(3 * 1024 * 1024);
    expect((await post(exact)).json).to.deep.include({ response: { uid: 'u-3mib', allowed: true } });
    const over = `${exact} `;
    const declared = await post(over);
    expect([declared.status, declared.headers.connection, declared.json]).to.deep.equal([
      413,
      'close',
      { apiVersion: 'v1', kind: 'Status', status: 'Failure', message: 'Request body is larger than 3145728 bytes (3 MiB, kube-apiserver\'s own limit); got at least 3145729.', reason: 'RequestEntityTooLarge', code: 413 },
    ]);
    const chunked = await postChunked(server.port, certs.caCert, [exact.slice(0, 2_000_000), exact.slice(2_000_000), ' ', ' ']);
    expect(chunked.status).to.equal(413);
    expect((chunked.json as Obj).reason).to.equal('RequestEntityTooLarge');
    // The server is fine afterwards.
    expect((await post(admissionReview({ object: slice(), uid: 'u-after' }))).status).to.equal(200);
  });

  const statusBody = (message: string): Obj => ({ apiVersion: 'v1', kind: 'Status', status: 'Failure', message, reason: 'BadRequest', code: 400 });
  it('400 for a non-JSON content type, no content type, an unparsable or empty body, and JSON that is not a review', async () => {
    const review = JSON.stringify(admissionReview({ object: slice() }));
    const cases: [Answer, string][] = [
      [await post(review, '/validate', { 'content-type': 'application/yaml' }), 'Expected Content-Type application/json (an AdmissionReview), got Content-Type "application/yaml".'],
      [await send(server.port, { ca: certs.caCert, body: review, headers: { 'content-type': undefined } }), 'Expected Content-Type application/json (an AdmissionReview), got no Content-Type.'],
      [await post('{"apiVersion": "admission.k8s.io/v1",'), 'Expected an AdmissionReview v1 in JSON; Expected double-quoted property name in JSON at position 37 (line 1 column 38).'],
      [await post(''), 'Expected an AdmissionReview v1 in JSON; the body is empty.'],
      [await post({ ...admissionReview({ object: slice() }), request: { uid: 7, operation: 'CREATE', object: {} } }), 'Not an AdmissionReview v1: request.uid is 7; expected a non-empty string.'],
    ];
    for (const [res, message] of cases) expect([res.status, res.json]).to.deep.equal([400, statusBody(message)]);
    expect((await post(review, '/validate', { 'content-type': 'application/json; charset=utf-8' })).status).to.equal(200);
  });

  it('health, readiness, metrics, 404 and 405 from the express app', async () => {
    const get = (path: string): Promise<Answer> => send(server.port, { ca: certs.caCert, method: 'GET', path, agent });
    expect(await get('/healthz')).to.deep.include({ status: 200, text: 'ok\n' });
    expect(await get('/readyz')).to.deep.include({ status: 200, json: { ready: true } });
    const wrong = await get('/validate');
    expect([wrong.status, wrong.headers.allow, (wrong.json as Obj).reason]).to.deep.equal([405, 'POST', 'MethodNotAllowed']);
    expect((await get('/nope')).json).to.deep.equal({ apiVersion: 'v1', kind: 'Status', status: 'Failure', message: 'No GET /nope here; see docs/webhook.md for the endpoints.', reason: 'NotFound', code: 404 });
    const metrics = (await get('/metrics')).text;
    expect(metrics).to.match(/^sliceguard_admission_requests_total\{path="\/validate",operation="UPDATE",decision="denied"\} 1$/m);
    expect(metrics).to.match(/^sliceguard_admission_rule_requests_total\{path="\/validate",rule="special-ip",severity="deny"\} [1-9]/m);
    expect(metrics).to.match(/^sliceguard_admission_duration_seconds_count\{path="\/mutate"\} [1-9]/m);
    expect(metrics).to.match(/^sliceguard_certificate_expiry_timestamp_seconds \d{10}$/m);
    expect(metrics).to.match(/^sliceguard_policy_reloads_total\{result="failure"\} 0$/m);
    expect(metrics).to.match(/^sliceguard_admission_in_flight_requests 0$/m);
  });

  it('serves /metrics over plain HTTP on the metrics port', async () => {
    const text = await new Promise<string>((resolve, reject) => {
      httpGet({ host: '127.0.0.1', port: server.metricsPort, path: '/metrics' }, (res) => {
        let t = '';
        res.on('data', (c: Buffer) => (t += c.toString()));
        res.on('end', () => resolve(t));
      }).on('error', reject);
    });
    expect(text).to.include('# TYPE sliceguard_admission_requests_total counter');
  });

  it('refuses TLS 1.1 and clients that do not trust the CA; speaks TLS 1.2 and 1.3', async () => {
    const handshake = (opts: Obj): Promise<string> =>
      new Promise((resolve) => {
        const s = tlsConnect({ host: '127.0.0.1', port: server.port, ...opts }, () => {
          resolve(`${s.getProtocol()} ${s.getCipher().name}`);
          s.end();
        });
        s.on('error', (err: NodeJS.ErrnoException) => resolve(`error ${err.code}`));
      });
    expect(await handshake({ ca: certs.caCert, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' })).to.match(/^error /);
    expect(await handshake({ ca: certs.caCert, maxVersion: 'TLSv1.2' })).to.equal('TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256');
    expect(await handshake({ ca: certs.caCert })).to.equal('TLSv1.3 TLS_AES_128_GCM_SHA256');
    expect(await handshake({})).to.equal('error UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('logs one JSON line per review with who, what and the decision, never object contents', () => {
    const line = log.lines.find((l) => l.uid === 'u-update');
    expect(line).to.deep.include({
      level: 30,
      msg: 'admission',
      path: '/validate',
      status: 200,
      operation: 'UPDATE',
      namespace: 'default',
      name: 'example-abc12',
      user: 'alice',
      dryRun: false,
      decision: 'denied',
      allowed: false,
      rules: ['address-type'],
      denied: ['address-type'],
    });
    expect(line!.durationMs).to.be.a('number');
    const text = JSON.stringify(log.lines.filter((l) => l.msg === 'admission'));
    expect(text).to.not.include('fd00::1');
    expect(text).to.not.include('10.1.0.1');
    const refused = log.lines.find((l) => l.status === 400 && String(l.error).includes('not JSON'));
    expect(refused).to.deep.include({ level: 40, decision: 'invalid', error: 'The body is not JSON.' });
  });
});

describe('webhook server timeouts', function () {
  this.timeout(30_000);
  it('drops a client that sends its headers too slowly, and one that never finishes its body', async () => {
    const certs = await certFiles();
    const server = await startWebhook({
      certFile: certs.certFile,
      keyFile: certs.keyFile,
      host: '127.0.0.1',
      port: 0,
      onError: 'deny',
      logger: memoryLogger().logger,
      timeouts: { headersTimeout: 300, requestTimeout: 600, connectionsCheckingInterval: 100 },
    });
    try {
      const slow = async (bytes: string): Promise<string> => {
        const socket = tlsConnect({ host: '127.0.0.1', port: server.port, ca: certs.caCert });
        let received = '';
        socket.on('data', (c: Buffer) => (received += c.toString()));
        await new Promise((r) => socket.once('secureConnect', r));
        socket.write(bytes);
        await new Promise((r) => socket.once('close', r));
        return received.split('\r\n')[0];
      };
      // Headers never completed: the server answers 408 and closes.
      expect(await slow('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: appl')).to.equal('HTTP/1.1 408 Request Timeout');
      // Headers complete, body never: the same, once the whole-request timeout passes.
      expect(await slow('POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"api')).to.equal('HTTP/1.1 408 Request Timeout');
      expect(await server.metrics.registry.metrics()).to.match(/^sliceguard_admission_in_flight_requests 0$/m);
      // A connection that completes the handshake and sends nothing is closed after the headers timeout.
      const silent = tlsConnect({ host: '127.0.0.1', port: server.port, ca: certs.caCert });
      await new Promise((r) => silent.once('secureConnect', r));
      const opened = Date.now();
      await new Promise((r) => silent.once('close', r));
      expect(Date.now() - opened).to.be.below(5_000);
      // One that starts its headers before then and ends them after it is answered.
      const late = tlsConnect({ host: '127.0.0.1', port: server.port, ca: certs.caCert });
      let answer = '';
      late.on('data', (c: Buffer) => (answer += c.toString()));
      await new Promise((r) => late.once('secureConnect', r));
      await new Promise((r) => setTimeout(r, 150));
      late.write('GET /healthz HTTP/1.1\r\n');
      await new Promise((r) => setTimeout(r, 250));
      late.end('Host: x\r\nConnection: close\r\n\r\n');
      await new Promise((r) => late.once('close', r));
      expect(answer.split('\r\n')[0]).to.equal('HTTP/1.1 200 OK');
    } finally {
      await server.shutdown();
      rmSync(certs.dir, { recursive: true, force: true });
    }
  });
});

/** POSTs a body in chunks without a Content-Length (Transfer-Encoding: chunked). */
function postChunked(port: number, ca: string, parts: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, method: 'POST', path: '/validate', ca, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: JSON.parse(text), reused: false }));
    });
    req.on('error', reject);
    for (const p of parts) req.write(p);
    req.end();
  });
}
