/**
 * Runs the built CLI as a process, as CI does, and checks that whatever it was fed it ended in
 * one of the three contracted ways: a report (exit 0 or 1) or one line on stderr (exit 2), never
 * a stack trace, a signal or a timeout. The child's peak RSS comes from a preloaded module that
 * writes `process.resourceUsage().maxRSS` at exit, so no external `time` binary is needed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { CLI } from '../cli/built-cli.ts';

/** What one run of the CLI produced. */
export interface CliRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the child, in KiB (0 when it died before writing it). */
  maxRssKiB: number;
  ms: number;
}

/** A scratch directory with the RSS probe; `cleanup()` removes it. */
export function scratch(prefix: string): { dir: string; probe: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sliceguard-${prefix}-`));
  const probe = join(dir, '.rss-probe.mjs');
  writeFileSync(probe, "import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { try { writeFileSync(process.env.SLICEGUARD_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n");
  return { dir, probe, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `sliceguard <args>` with the Node that runs the tests, in `cwd`. */
export function runCli(args: string[], opts: { cwd: string; probe: string; input?: Uint8Array | string; timeoutMs?: number; uid?: number }): CliRun {
  const rssFile = join(opts.cwd, `.rss-${process.pid}-${Date.now()}`);
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(opts.probe).href, CLI, ...args], {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 512 * 1024 * 1024,
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    env: { ...process.env, SLICEGUARD_RSS_FILE: rssFile, SLICEGUARD_DEBUG: '', NO_COLOR: '1' },
  });
  let maxRssKiB = 0;
  try {
    maxRssKiB = Number(readFileSync(rssFile, 'utf8'));
    rmSync(rssFile);
  } catch {
    // the child died before its exit handler ran; the status checks report that
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', maxRssKiB, ms: Date.now() - started };
}

/** The JSON report of a run that produced one. */
export interface JsonReport {
  summary: { files: number; documents: number; endpointSlices: number; denied: number; warned: number };
  results: { file: string; document: number; allowed: boolean; violations: { rule: string; path: string; message: string; line: number; column: number }[] }[];
}

/**
 * Asserts the run ended cleanly: no signal or timeout, no stack trace or internal error, every
 * stderr line a `sliceguard: ` sentence, exactly one line for exit 2, and a JSON report for 0/1.
 * Returns the report (undefined for exit 2).
 */
export function expectClean(r: CliRun, what: string): JsonReport | undefined {
  const context = `${what}: status ${r.status}, signal ${r.signal}, stderr ${JSON.stringify(r.stderr.slice(0, 600))}`;
  expect(r.signal, `${context} (killed or timed out)`).to.equal(null);
  expect([0, 1, 2], context).to.include(r.status);
  expect(r.stderr, context).not.to.match(/^\s+at |internal error|SG_INTERNAL|Error:|node:internal/m);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  for (const line of lines) expect(line, context).to.match(/^sliceguard: \S/);
  if (r.status === 2) {
    expect(lines, context).to.have.length(1);
    return undefined;
  }
  const report = JSON.parse(r.stdout) as JsonReport;
  for (const result of report.results) {
    expect(result.allowed, `${context}: allowed with a deny`).to.equal(!result.violations.some((v) => (v as { severity?: string }).severity === 'deny'));
    for (const v of result.violations) expect(v.line, context).to.be.a('number').and.at.least(1);
  }
  return report;
}

/** Returns `n` bytes from a seeded xorshift generator, so a failing input can be made again. */
export function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** A valid, labelled IPv4 slice as YAML, `endpoints` addresses unique within the `id` range. */
export function sliceYaml(id: number, endpoints = 8): string {
  let out = `---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-${id}\n  namespace: default\n  labels:\n` +
    '    kubernetes.io/service-name: web\n    endpointslice.kubernetes.io/managed-by: sliceguard\naddressType: IPv4\nports:\n- name: http\n  protocol: TCP\n  port: 8080\nendpoints:\n';
  for (let k = 0; k < endpoints; k++) {
    const n = id * endpoints + k;
    out += `- addresses: ["10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}"]\n  conditions: {ready: true}\n  nodeName: node-${k}\n  zone: zone-a\n`;
  }
  return out;
}
