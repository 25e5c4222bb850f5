/**
 * The load generator of the webhook benchmark, run as its own process (pinned to its own core by
 * the caller): POSTs the review bodies in turn over keep-alive TLS connections for a duration
 * and prints one JSON line: {tool, requests, seconds, rps, p50, p99, errors}.
 * Usage: node bench/load.ts '{"tool":"autocannon"|"wrk","url":...,"bodies":FILE,"connections":N,"seconds":S}'
 * autocannon comes with npm; wrk (C, lighter on its core) is used when asked for and installed.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

/** What one load run measured. */
export interface LoadResult {
  tool: string;
  requests: number;
  seconds: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
}

/** The load generator's parameters. */
export interface LoadSpec {
  tool: 'autocannon' | 'wrk';
  url: string;
  /** A JSON file holding an array of request bodies. */
  bodies: string;
  connections: number;
  seconds: number;
}

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

async function withAutocannon(spec: LoadSpec, bodies: string[]): Promise<LoadResult> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const requests = bodies.map((body) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  const r = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.seconds, requests, timeout: 10 });
  return { tool: 'autocannon', requests: r.requests.total, seconds: r.duration, rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts + r.non2xx };
}

// wrk sends the bodies in turn and reports from its latency histogram (microseconds).
const WRK_SCRIPT = `
local bodies = {}
local f = io.open(os.getenv("SG_BODIES_LUA"), "r")
for line in f:lines() do bodies[#bodies + 1] = line end
f:close()
local i = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  i = i % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('SGRESULT {"requests":%d,"micros":%d,"p50":%f,"p99":%f,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status))
end
`;

function withWrk(spec: LoadSpec, bodies: string[]): LoadResult {
  const lines = `${spec.bodies}.lines`;
  // One body per line: JSON.stringify output has no raw newlines.
  writeFileSync(lines, bodies.join('\n') + '\n');
  const script = `${spec.bodies}.lua`;
  writeFileSync(script, WRK_SCRIPT);
  const args = ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '10s', '-s', script, spec.url];
  const run = spawnSync('wrk', args, { encoding: 'utf8', env: { ...process.env, SG_BODIES_LUA: lines } });
  const m = /SGRESULT (\{.*\})/.exec(run.stdout ?? '');
  if (!m) throw new Error(`wrk failed: ${run.stderr || run.stdout}`);
  const w = JSON.parse(m[1]) as { requests: number; micros: number; p50: number; p99: number; errors: number };
  const seconds = w.micros / 1e6;
  return { tool: 'wrk', requests: w.requests, seconds, rps: w.requests / seconds, p50: w.p50, p99: w.p99, errors: w.errors };
}

/** Runs the load described by `spec` and returns what it measured. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const bodies = JSON.parse(readFileSync(spec.bodies, 'utf8')) as string[];
  return spec.tool === 'wrk' ? withWrk(spec, bodies) : withAutocannon(spec, bodies);
}

if (import.meta.filename === process.argv[1]) {
  const result = await runLoad(JSON.parse(process.argv[2]) as LoadSpec);
  process.stdout.write(JSON.stringify(result) + '\n');
}
