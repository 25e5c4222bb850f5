/**
 * The webhook benchmark: `sliceguard serve` over TLS on 127.0.0.1 next to the floor server (bare
 * node:https that parses the JSON and echoes the uid), typical reviews and a 1000-endpoint UPDATE
 * at 1, 16 and 64 connections. Server and load generator run on separate cores when taskset
 * exists; floor and sliceguard alternate which goes first in each repeat.
 */
import yaml from 'js-yaml';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCertificateSet } from '../certs/generate.ts';
import type { LoadResult } from './load.ts';
import { largeUpdateReview, typicalReviews, type ReviewSet } from './reviews.ts';
import { freePort, peakRssKb, post, runLoadProcess, startServer, stopServer, type Server } from './servers.ts';
import { spread, verdict, type Spread, type Verdict } from './stats.ts';

/** One side (floor or sliceguard) at one connection count, over the repeats. */
export interface LoadSide {
  rps: Spread;
  p50: Spread;
  p99: Spread;
  errors: number;
}

/** One workload at one connection count. */
export interface LoadPoint {
  connections: number;
  floor: LoadSide;
  subject: LoadSide;
  throughputRatio: Verdict | { value: number };
  p99Ratio: Verdict | { value: number };
}

/** One workload (typical or 1000-endpoint reviews). */
export interface WorkloadResult {
  workload: string;
  bodyBytes: number;
  points: LoadPoint[];
  peakRssKb: { floor: Spread; subject: Spread };
  /** Problems found when checking the servers' answers before loading them. */
  checkProblems: string[];
}

/** Options of `runWebhook`. */
export interface WebhookOptions {
  seed: number;
  repeats: number;
  seconds: number;
  warmSeconds: number;
  connections: number[];
  tool: 'autocannon' | 'wrk';
  cli: string;
  scratch: string;
  cores: { server?: number; load?: number };
  log: (line: string) => void;
}

type Side = 'floor' | 'subject';
type Raw = Record<Side, { loads: Map<number, LoadResult[]>; rss: number[] }>;

/** Runs both workloads and returns their results. */
export async function runWebhook(opts: WebhookOptions): Promise<WorkloadResult[]> {
  const certs = await generateCertificateSet({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], now: new Date() });
  const files = { cert: join(opts.scratch, 'tls.crt'), key: join(opts.scratch, 'tls.key'), services: join(opts.scratch, 'services.yaml') };
  writeFileSync(files.cert, certs.cert);
  writeFileSync(files.key, certs.key, { mode: 0o600 });
  const workloads: [string, ReviewSet][] = [
    ['typical', typicalReviews(opts.seed, 64)],
    ['1000-endpoint UPDATE', largeUpdateReview(opts.seed)],
  ];
  const services = workloads.flatMap(([, w]) => w.services);
  writeFileSync(files.services, services.map((s) => `---\n${yaml.dump(s)}`).join(''));
  const out: WorkloadResult[] = [];
  for (const [name, set] of workloads) out.push(await runWorkload(name, set, files, certs.caCert, opts));
  return out;
}

async function runWorkload(name: string, set: ReviewSet, files: { cert: string; key: string; services: string }, ca: string, opts: WebhookOptions): Promise<WorkloadResult> {
  const bodiesFile = join(opts.scratch, `bodies-${name.replace(/\W+/g, '-')}.json`);
  writeFileSync(bodiesFile, JSON.stringify(set.reviews.map((r) => r.body)));
  const raw: Raw = { floor: { loads: new Map(), rss: [] }, subject: { loads: new Map(), rss: [] } };
  const checkProblems: string[] = [];
  for (let i = 0; i < opts.repeats; i++) {
    for (const side of (i % 2 === 0 ? ['floor', 'subject'] : ['subject', 'floor']) as Side[]) {
      const port = await freePort();
      const args =
        side === 'floor'
          ? [join(import.meta.dirname, 'floor-server.mjs'), files.cert, files.key, String(port)]
          : [opts.cli, 'serve', '--cert', files.cert, '--key', files.key, '--port', String(port), '--host', '127.0.0.1', '--services', files.services, '--no-service-cache'];
      const server = await startServer(args, port, opts.cores.server);
      try {
        if (i === 0) checkProblems.push(...(await checkAnswers(server, set, ca, side)));
        const url = `https://127.0.0.1:${port}/validate`;
        await runLoadProcess({ tool: opts.tool, url, bodies: bodiesFile, connections: 16, seconds: opts.warmSeconds }, opts.cores.load);
        for (const c of opts.connections) {
          const r = await runLoadProcess({ tool: opts.tool, url, bodies: bodiesFile, connections: c, seconds: opts.seconds }, opts.cores.load);
          raw[side].loads.set(c, [...(raw[side].loads.get(c) ?? []), r]);
          opts.log(`  ${name} ${side === 'floor' ? 'floor     ' : 'sliceguard'} c=${String(c).padEnd(2)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  errors ${r.errors}`);
        }
        raw[side].rss.push(peakRssKb(server.child.pid));
      } finally {
        await stopServer(server);
      }
    }
  }
  return summarize(name, Buffer.byteLength(set.reviews[0].body), raw, checkProblems, opts.connections);
}

/** Sends each body once: HTTP 200, the uid echoed, and (for sliceguard) allowed, since every review is clean. */
async function checkAnswers(server: Server, set: ReviewSet, ca: string, side: Side): Promise<string[]> {
  const problems: string[] = [];
  for (const r of set.reviews) {
    const { status, json } = await post(server.port, '/validate', r.body, ca);
    const response = (json as { response?: { uid?: string; allowed?: boolean; status?: { message?: string } } }).response;
    if (status !== 200 || response?.uid !== r.uid || (side === 'subject' && response.allowed !== true)) {
      problems.push(`${side}: HTTP ${status}, uid ${response?.uid === r.uid ? 'echoed' : 'wrong'}, allowed ${response?.allowed}: ${response?.status?.message ?? ''}`.slice(0, 300));
    }
  }
  return problems;
}

const TARGETS: Record<string, { throughput: number; p99?: number }> = {
  typical: { throughput: 0.8, p99: 1.5 },
  '1000-endpoint UPDATE': { throughput: 0.65 },
};

function summarize(name: string, bodyBytes: number, raw: Raw, checkProblems: string[], connections: number[]): WorkloadResult {
  const points = connections.map((c): LoadPoint => {
    const side = (s: Side): LoadSide => {
      const runs = raw[s].loads.get(c) ?? [];
      return { rps: spread(runs.map((r) => r.rps)), p50: spread(runs.map((r) => r.p50)), p99: spread(runs.map((r) => r.p99)), errors: runs.reduce((n, r) => n + r.errors, 0) };
    };
    const floor = side('floor');
    const subject = side('subject');
    const t = subject.rps.median / floor.rps.median;
    const p = subject.p99.median / floor.p99.median;
    // The issues set targets at 16 and 64 connections; one connection is shown for latency.
    const target = TARGETS[name];
    const judged = c >= 16 && target !== undefined;
    return {
      connections: c,
      floor,
      subject,
      throughputRatio: judged ? verdict(t, target.throughput, 'atLeast') : { value: t },
      p99Ratio: judged && target.p99 !== undefined ? verdict(p, target.p99, 'atMost') : { value: p },
    };
  });
  return { workload: name, bodyBytes, points, peakRssKb: { floor: spread(raw.floor.rss), subject: spread(raw.subject.rss) }, checkProblems };
}
