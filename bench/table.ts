/**
 * Turns the benchmark results into tables: aligned text for the terminal and Markdown for
 * docs/performance.md, from the same rows. A missed target says MISS next to its figure.
 */
import type { OfflineResult } from './offline.ts';
import type { RuleCostResult } from './rule-cost.ts';
import type { ScalingResult } from './scaling.ts';
import type { Spread, Verdict } from './stats.ts';
import type { WorkloadResult } from './webhook.ts';

/** Everything `npm run bench` measured (bench/results.json). */
export interface BenchResults {
  date: string;
  mode: 'full' | 'quick';
  machine: { cores: number; cpu: string; node: string; platform: string };
  seed: number;
  repeats: number;
  rssMethod: string;
  loadTool?: string;
  pinned: boolean;
  offline?: OfflineResult[];
  webhook?: WorkloadResult[];
  webhookSkipped?: string;
  /** Parts that failed, with the error (the others still ran). */
  failures?: Record<string, string>;
  scaling?: ScalingResult;
  ruleCost?: RuleCostResult;
}

/** A titled table. */
export interface Table {
  title: string;
  head: string[];
  rows: string[][];
  notes: string[];
}

const n0 = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const f2 = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
const mb = (kb: number): string => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : 'n/a');
const range = (s: Spread, fmt: (v: number) => string): string => `${fmt(s.median)} (${fmt(s.min)}-${fmt(s.max)})`;

/** Returns `0.83x ok (>= 0.8x)` or `0.31x MISS (>= 0.8x)`; plain `1.02x` for figures without a target. */
export function ratioCell(v: Verdict | { value: number }): string {
  if (!('target' in v)) return `${f2(v.value)}x`;
  return `${f2(v.value)}x ${v.met ? 'ok' : 'MISS'} (${v.kind === 'atLeast' ? '>=' : '<='} ${v.target}x)`;
}

/** Returns the tables for whatever parts of the benchmark ran. */
export function tables(r: BenchResults): Table[] {
  const out: Table[] = [];
  if (r.offline) out.push(offlineTable(r.offline));
  if (r.webhook) out.push(webhookTable(r.webhook, r));
  if (r.scaling) out.push(scalingTable(r.scaling));
  if (r.ruleCost) out.push(ruleCostTable(r.ruleCost));
  return out;
}

function offlineTable(results: OfflineResult[]): Table {
  return {
    title: 'Offline: `sliceguard validate --format json DIR` vs js-yaml 4.1 `loadAll` over the same files (whole processes)',
    head: ['corpus', 'threads', 'files', 'docs', 'MB', 'floor docs/s', 'sliceguard docs/s', 'docs/s ratio', 'CPU ratio', 'floor RSS MB', 'sliceguard RSS MB', 'RSS ratio', 'injected errors'],
    rows: results.map((o) => [
      o.corpus === 'large' ? '1000-endpoint' : o.corpus,
      o.jobs === 'auto' ? `${o.threads} (--jobs auto)` : `${o.threads} (--jobs ${o.jobs})`,
      String(o.files),
      n0(o.documents),
      o.megabytes.toFixed(1),
      range(o.floor.docsPerSec, n0),
      range(o.subject.docsPerSec, n0),
      ratioCell(o.throughputRatio),
      `${f2(o.cpuRatio)}x`,
      mb(o.floor.maxRssKb.median),
      mb(o.subject.maxRssKb.median),
      ratioCell(o.rssRatio),
      `${o.check.matched}/${o.check.injected} found, ${o.check.unexpectedDenials} unexpected denials${o.check.problems.length ? ' MISS' : ''}`,
    ]),
    notes: [
      'docs/s: median (min-max) over the repeats; ratios are of the medians. CPU ratio: floor CPU time (user+sys) over sliceguard\'s,' +
        ' less disturbed by other load than wall time. RSS: peak resident set, median.',
      ...results.flatMap((o) => o.check.problems.map((p) => `check ${o.corpus}: ${p}`)),
    ],
  };
}

function webhookTable(results: WorkloadResult[], r: BenchResults): Table {
  const rows: string[][] = [];
  for (const w of results) {
    for (const p of w.points) {
      rows.push([
        w.workload,
        String(p.connections),
        range(p.floor.rps, n0),
        range(p.subject.rps, n0),
        ratioCell(p.throughputRatio),
        `${f2(p.floor.p50.median)} / ${f2(p.floor.p99.median)}`,
        `${f2(p.subject.p50.median)} / ${f2(p.subject.p99.median)}`,
        ratioCell(p.p99Ratio),
        `${p.floor.errors} / ${p.subject.errors}`,
      ]);
    }
    rows.push([w.workload, 'peak RSS MB', mb(w.peakRssKb.floor.median), mb(w.peakRssKb.subject.median), `${f2(w.peakRssKb.subject.median / w.peakRssKb.floor.median)}x`, '', '', '', '']);
  }
  return {
    title: 'Webhook: `sliceguard serve` POST /validate vs bare node:https that parses the JSON and echoes the uid (TLS, 127.0.0.1)',
    head: ['reviews', 'connections', 'floor req/s', 'sliceguard req/s', 'throughput ratio', 'floor p50/p99 ms', 'sliceguard p50/p99 ms', 'p99 ratio', 'errors floor/sg'],
    rows,
    notes: [
      `Load: ${r.loadTool}; ${r.pinned ? 'server and load generator pinned to separate cores with taskset' : 'not pinned (taskset missing or one core)'}.`,
      ...results.map((w) => `${w.workload}: request body ${n0(w.bodyBytes)} bytes${w.checkProblems.length ? `; answer check: ${w.checkProblems.slice(0, 3).join('; ')}` : '; answers checked (uid echoed, allowed)'}.`),
    ],
  };
}

function scalingTable(s: ScalingResult): Table {
  return {
    title: 'Scaling: the validate path in-process (no start-up) on the same number of endpoints, cut into slices of 10, 100 and 1000',
    head: ['endpoints/slice', 'slices', 'sliceguard µs/slice', 'floor µs/slice', 'ratio to floor', 'sliceguard ns/endpoint', 'floor ns/endpoint'],
    rows: s.rows.map((row) => [
      String(row.endpointsPerSlice),
      n0(row.slices),
      range(row.subjectUsPerSlice, n0),
      range(row.floorUsPerSlice, n0),
      `${f2(row.ratioToFloor)}x`,
      n0(row.subjectNsPerEndpoint),
      n0(row.floorNsPerEndpoint),
    ]),
    notes: [`Per-endpoint cost at 1000 over that at 100: ${ratioCell(s.linearity)} (linear cost shows as about 1 or less).`],
  };
}

function ruleCostTable(c: RuleCostResult): Table {
  const top = c.rules.slice(0, 10).map((r) => `${r.rule} ${f2(r.us)} (${(100 * r.share).toFixed(0)}%)`).join(', ');
  return {
    title: 'Rule evaluation vs parse, per typical slice, in-process (issue 13: evaluating all rules costs less than parsing the slice)',
    head: ['slices', 'js-yaml load µs', 'sliceguard parse µs (fast reader)', 'evaluate() µs, all rules', 'of which schema gate µs', 'evaluate / js-yaml parse', 'evaluate / sliceguard parse'],
    rows: [[n0(c.slices), range(c.plainLoadUs, f2), range(c.parseUs, f2), range(c.evaluateUs, f2), range(c.decodeUs, f2), ratioCell(c.ratio), `${f2(c.ratioToCliParse)}x`]],
    notes: [
      `Most expensive rules (check() alone, µs per slice, share of evaluate): ${top}.`,
      `evaluate() less the schema gate and the checks timed alone: ${f2(c.engineUs)} µs per slice. That is the engine's loop, findings` +
        ' (messages, paths, sorting), and calling some 40 rules from one call site, which V8 runs slower than one rule in a tight loop.',
    ],
  };
}

/** Renders tables as aligned text. */
export function renderText(list: Table[]): string {
  return list
    .map((t) => {
      const all = [t.head, ...t.rows];
      const widths = t.head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
      const line = (r: string[]): string => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
      return [t.title.replace(/`/g, ''), line(t.head), ...t.rows.map(line), ...t.notes.map((n) => `  ${n.replace(/`/g, '')}`)].join('\n');
    })
    .join('\n\n');
}

/** Renders tables as Markdown (for docs/performance.md). */
export function renderMarkdown(list: Table[]): string {
  return list
    .map((t) => {
      const row = (r: string[]): string => `| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
      return [`#### ${t.title}`, '', row(t.head), row(t.head.map(() => '---')), ...t.rows.map(row), '', ...t.notes.map((n) => `- ${n}`)].join('\n');
    })
    .join('\n\n');
}
