/**
 * A quick throughput check of the webhook against the floor the benchmark issue measures: a bare
 * node:https server that parses the JSON and echoes the uid. Each server runs in a child process;
 * autocannon sends a typical review (an UPDATE of a 10-endpoint slice) and a 1000-endpoint UPDATE.
 * Not a test: numbers depend on the machine. Run: node bench/webhook-quick.ts [--express]
 * (--express adds express 5 with express.json() answering the same reviews, for comparison).
 * Environment: DURATION (seconds per run, default 8), ROUNDS (default 3), CONNECTIONS (default "16,64").
 * Besides throughput it reports each server's CPU time per request (from /proc), which a busy
 * machine disturbs far less than throughput.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCertificateSet } from '../certs/generate.ts';

interface Result { requests: { average: number }; latency: { p99: number; p50: number }; non2xx: number; errors: number }
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const root = resolve(import.meta.dirname, '..');
const duration = Number(process.env.DURATION ?? 8);
const connections = (process.env.CONNECTIONS ?? '16,64').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

const EXPRESS = `
import express from 'express';
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { reviewAdmission } from '${root}/webhook/review.ts';
import { createPolicy } from '${root}/policies/policy.ts';
const [cert, key, port] = process.argv.slice(1);
const policy = createPolicy();
const app = express();
app.use(express.json({ limit: '3mb' }));
app.post('/validate', (req, res) => {
  const r = reviewAdmission(req.body, 'validate', { policy, onError: 'deny' });
  res.status(r.status).json(r.body);
});
createServer({ cert: readFileSync(cert), key: readFileSync(key) }, app).listen(Number(port), '127.0.0.1');
`;

function endpoint(i: number): Record<string, unknown> {
  return {
    addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`],
    conditions: { ready: true, serving: true, terminating: false },
    nodeName: `node-${i % 7}`,
    zone: `zone-${i % 3}`,
    targetRef: { kind: 'Pod', name: `web-7d4b9c-${i.toString(36).padStart(5, 'x')}`, namespace: 'shop', uid: `8e0c4a36-0a3e-4c1b-9b1e-${String(i).padStart(12, '0')}` },
  };
}

function slice(n: number, generation: number): Record<string, unknown> {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: 'web-abcde',
      namespace: 'shop',
      generateName: 'web-',
      uid: '0f9d2b1c-7a6e-4d3c-8b2a-1c0d9e8f7a6b',
      resourceVersion: String(1000 + generation),
      generation,
      labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'sliceguard' },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
    endpoints: Array.from({ length: n }, (_, i) => endpoint(i + generation)),
  };
}

function review(n: number): string {
  return JSON.stringify({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice' },
      resource: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
      name: 'web-abcde',
      namespace: 'shop',
      operation: 'UPDATE',
      userInfo: { username: 'system:serviceaccount:shop:deployer', groups: ['system:serviceaccounts'] },
      object: slice(n, 2),
      oldObject: slice(n, 1),
      dryRun: false,
      options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1' },
    },
  });
}

function waitForPort(port: number): Promise<void> {
  return new Promise((done, fail) => {
    const end = Date.now() + 15_000;
    const attempt = (): void => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), done()));
      s.once('error', () => (Date.now() > end ? fail(new Error(`port ${port} never opened`)) : setTimeout(attempt, 100)));
    };
    attempt();
  });
}

/** CPU time (user + system) a process has used, in microseconds, from /proc (Linux only; 0 elsewhere). */
function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime in clock ticks (USER_HZ 100)
  } catch {
    return 0;
  }
}

interface Server { name: string; child: ChildProcess; port: number }
interface Row { result: Result; cpuPerRequest: number }

/** Runs one load against one server and returns autocannon's result and the server's CPU per request. */
async function load(server: Server, body: string, c: number, seconds: number): Promise<Row> {
  const opts = { url: `https://127.0.0.1:${server.port}/validate`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: c };
  const before = cpuMicros(server.child.pid!);
  const result = await autocannon({ ...opts, duration: seconds });
  const used = cpuMicros(server.child.pid!) - before;
  return { result, cpuPerRequest: used / Math.max(1, result.requests.average * seconds) };
}

const dir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
const servers: Server[] = [];
try {
  const set = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date() });
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  writeFileSync(cert, set.cert);
  writeFileSync(key, set.key);
  const bodies = { typical: review(10), '1000ep': review(1000) };
  console.log(`bodies: typical ${bodies.typical.length} bytes, 1000ep ${bodies['1000ep'].length} bytes; ${duration} s per run, ${ROUNDS} rounds, median shown`);
  // Servers on core 0 and this process (autocannon) on core 1 when taskset exists, so that the
  // load generator and the server under test do not take turns on one core.
  const pin = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0'] : [];
  if (pin.length > 0) spawnSync('/usr/bin/taskset', ['-pc', '1', String(process.pid)], { stdio: 'ignore' });
  const start = (name: string, port: number, args: string[]): void => {
    const [cmd, ...rest] = [...pin, process.execPath, ...args];
    servers.push({ name, port, child: spawn(cmd, rest, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] }) });
  };
  // The benchmark's own floor server, so that both measure against the same thing.
  start('floor', 9501, [join(import.meta.dirname, 'floor-server.mjs'), cert, key, '9501']);
  start('sliceguard', 9502, ['cli/main.ts', 'serve', '--cert', cert, '--key', key, '--port', '9502', '--host', '127.0.0.1']);
  if (process.argv.includes('--express')) start('express', 9503, ['--input-type=module', '-e', EXPRESS, cert, key, '9503']);
  for (const s of servers) await waitForPort(s.port);
  for (const [label, body] of Object.entries(bodies)) {
    for (const c of connections) {
      for (const s of servers) await load(s, body, c, 2); // warm-up: JIT, TLS sessions
      // Rounds alternate between the servers, so that drift in the machine's load hits all alike.
      const rows = new Map<string, Row[]>(servers.map((s) => [s.name, []]));
      for (let r = 0; r < ROUNDS; r++) for (const s of servers) rows.get(s.name)!.push(await load(s, body, c, duration));
      const floor = median(rows.get('floor')!);
      for (const s of servers) {
        const m = median(rows.get(s.name)!);
        const ratio = s.name === 'floor' ? '' : `  => ${(m.result.requests.average / floor.result.requests.average).toFixed(2)}x throughput, ${(m.result.latency.p99 / Math.max(floor.result.latency.p99, 1)).toFixed(2)}x p99, ${(floor.cpuPerRequest / m.cpuPerRequest).toFixed(2)}x CPU-bound throughput`;
        console.log(`${label.padEnd(7)} c=${String(c).padEnd(3)} ${s.name.padEnd(10)} ${m.result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${String(m.result.latency.p50).padStart(4)} ms  p99 ${String(m.result.latency.p99).padStart(5)} ms  ${m.cpuPerRequest.toFixed(0).padStart(6)} us CPU/req  errors ${m.result.errors + m.result.non2xx}${ratio}`);
      }
    }
  }
} finally {
  for (const s of servers) s.child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

/** Returns the run with the median throughput. */
function median(rows: Row[]): Row {
  return [...rows].sort((a, b) => a.result.requests.average - b.result.requests.average)[Math.floor(rows.length / 2)];
}
