/**
 * The offline benchmark: `sliceguard validate --format json DIR` as a whole process next to its
 * floor, a process that only reads the same files and runs js-yaml 4.1 `loadAll`. Runs alternate
 * (floor, subject, then subject, floor, ...) so that drift in a shared machine's load hits both.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { autoThreads } from '../cli/parallel.ts';
import { checkReport, type CheckResult } from './check.ts';
import type { WrittenCorpus } from './generate.ts';
import { measureProcess, type ProcessRun, type RssMethod } from './measure.ts';
import { spread, verdict, type Spread, type Verdict } from './stats.ts';

/** Measurements of one process kind over the repeats. */
export interface SideResult {
  wallMs: Spread;
  docsPerSec: Spread;
  cpuMs: Spread;
  maxRssKb: Spread;
}

/** The offline result for one corpus. */
export interface OfflineResult {
  corpus: string;
  /** sliceguard's `--jobs`: a number, or `auto`. */
  jobs: string;
  /** The threads that means on this machine. */
  threads: number;
  files: number;
  documents: number;
  slices: number;
  megabytes: number;
  floor: SideResult;
  subject: SideResult;
  /** Subject docs/s over floor docs/s, from the medians. */
  throughputRatio: Verdict;
  /** Subject peak RSS over the floor's, from the medians. */
  rssRatio: Verdict;
  /** Floor CPU time over the subject's (docs per CPU second, as a ratio): steadier on a busy machine. */
  cpuRatio: number;
  check: CheckResult;
}

/** Options of `runOffline`. */
export interface OfflineOptions {
  /** Passed as `--jobs`. */
  jobs: string;
  repeats: number;
  throughputTarget: number;
  rssTarget: number;
  cli: string;
  scratch: string;
  method: RssMethod;
  log: (line: string) => void;
}

const FLOOR = join(import.meta.dirname, 'floor-offline.mjs');

/** Measures one corpus: a warm-up run of each side (checked against the injected errors), then the repeats. */
export async function runOffline(corpus: WrittenCorpus, opts: OfflineOptions): Promise<OfflineResult> {
  const reportFile = join(opts.scratch, `${corpus.spec.name}-${opts.jobs}-report.json`);
  const floorOut = join(opts.scratch, `${corpus.spec.name}-floor.txt`);
  const floor = (): Promise<ProcessRun> => measureProcess([FLOOR, corpus.manifests], { method: opts.method, scratch: opts.scratch, stdoutFile: floorOut });
  const subject = (): Promise<ProcessRun> =>
    measureProcess([opts.cli, 'validate', '--jobs', opts.jobs, '--format', 'json', corpus.manifests], { method: opts.method, scratch: opts.scratch, stdoutFile: reportFile });
  // Warm-up: the page cache, and the one report that is checked.
  await floor();
  await subject();
  const check = checkReport(readFileSync(reportFile, 'utf8'), corpus.manifests, corpus.injected);
  const floorDocs = Number(readFileSync(floorOut, 'utf8'));
  if (floorDocs !== check.documents) throw new Error(`${corpus.spec.name}: the floor read ${floorDocs} documents, sliceguard ${check.documents}`);
  const runs: { floor: ProcessRun[]; subject: ProcessRun[] } = { floor: [], subject: [] };
  for (let i = 0; i < opts.repeats; i++) {
    const order = i % 2 === 0 ? (['floor', 'subject'] as const) : (['subject', 'floor'] as const);
    for (const side of order) runs[side].push(await (side === 'floor' ? floor() : subject()));
    const f = runs.floor[i];
    const s = runs.subject[i];
    const show = (r: ProcessRun): string => `${r.wallMs.toFixed(0)} ms (cpu ${r.cpuMs.toFixed(0)}) ${mb(r.maxRssKb)} MB`;
    opts.log(`  ${corpus.spec.name} --jobs ${opts.jobs} run ${i + 1}/${opts.repeats}: floor ${show(f)}, sliceguard ${show(s)}`);
  }
  const sides = { floor: side(runs.floor, check.documents), subject: side(runs.subject, check.documents) };
  return {
    corpus: corpus.spec.name,
    jobs: opts.jobs,
    threads: opts.jobs === 'auto' ? autoThreads() : Number(opts.jobs),
    files: corpus.files,
    documents: check.documents,
    slices: corpus.slices,
    megabytes: corpus.bytes / 1e6,
    ...sides,
    throughputRatio: verdict(sides.subject.docsPerSec.median / sides.floor.docsPerSec.median, opts.throughputTarget, 'atLeast'),
    rssRatio: verdict(sides.subject.maxRssKb.median / sides.floor.maxRssKb.median, opts.rssTarget, 'atMost'),
    cpuRatio: sides.floor.cpuMs.median / sides.subject.cpuMs.median,
    check,
  };
}

function side(runs: ProcessRun[], documents: number): SideResult {
  return {
    wallMs: spread(runs.map((r) => r.wallMs)),
    docsPerSec: spread(runs.map((r) => (documents * 1000) / r.wallMs)),
    cpuMs: spread(runs.map((r) => r.cpuMs)),
    maxRssKb: spread(runs.map((r) => r.maxRssKb)),
  };
}

function mb(kb: number): string {
  return (kb / 1024).toFixed(0);
}
