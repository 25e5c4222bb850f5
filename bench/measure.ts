/**
 * Runs a command as a whole process and measures its wall time, CPU time and peak resident memory.
 * Peak RSS and CPU come from GNU time (`/usr/bin/time -f '%M %U %S'`, the kernel's wait4 rusage:
 * exact, nothing added to the measured process); where it is missing, a preloaded probe prints
 * Node's own `process.resourceUsage()` at exit (the same figures, at the cost of one tiny module).
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** How peak RSS is measured on this machine. */
export type RssMethod = 'gnu-time' | 'node-probe';

/** Returns the most faithful peak-RSS method available here. */
export function rssMethod(): RssMethod {
  return existsSync('/usr/bin/time') && gnuTimeWorks() ? 'gnu-time' : 'node-probe';
}

let gnuTimeOk: boolean | undefined;
function gnuTimeWorks(): boolean {
  // busybox `time` has no -o/-f; accept only a time that writes the format we ask for.
  if (gnuTimeOk === undefined) {
    try {
      const out = join(process.env.TMPDIR ?? '/tmp', `sg-time-probe-${process.pid}`);
      const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', '-o', out, 'true'], { stdio: 'ignore' });
      gnuTimeOk = r.status === 0 && /^\d+ [\d.]+ [\d.]+\s*$/.test(readFileSync(out, 'utf8'));
      rmSync(out, { force: true });
    } catch {
      gnuTimeOk = false;
    }
  }
  return gnuTimeOk;
}

/** One measured process run. */
export interface ProcessRun {
  wallMs: number;
  /** User plus system CPU time: less disturbed than wall time when the machine is shared. */
  cpuMs: number;
  maxRssKb: number;
  exitCode: number | null;
}

/** Options of `measureProcess`. */
export interface MeasureOptions {
  /** Where the process's stdout goes (a file); /dev/null when absent. */
  stdoutFile?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  method: RssMethod;
  /** Scratch directory for the RSS files. */
  scratch: string;
}

const PROBE = join(import.meta.dirname, 'rss-probe.mjs');

/** Runs `node args...` to completion and returns its wall time, peak RSS and exit code. */
export async function measureProcess(args: string[], opts: MeasureOptions): Promise<ProcessRun> {
  const rssFile = join(opts.scratch, `rss-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const node = process.execPath;
  const [cmd, argv, env] =
    opts.method === 'gnu-time'
      ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', rssFile, node, ...args], opts.env ?? process.env]
      : [node, ['--import', PROBE, ...args], { ...(opts.env ?? process.env), SG_BENCH_RSS_FILE: rssFile }];
  const out = openSync(opts.stdoutFile ?? '/dev/null', 'w');
  const stderr: Buffer[] = [];
  const started = performance.now();
  const exitCode = await new Promise<number | null>((done, fail) => {
    const child = spawn(cmd, argv, { cwd: opts.cwd, env, stdio: ['ignore', out, 'pipe'] });
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    child.on('error', fail);
    child.on('close', (code) => done(code));
  });
  const wallMs = performance.now() - started;
  closeSync(out);
  let maxRssKb = NaN;
  let cpuMs = NaN;
  try {
    // GNU time writes "Command exited with non-zero status N" before the figures when N != 0.
    const lines = readFileSync(rssFile, 'utf8').trim().split('\n');
    const [rss, user, sys] = lines[lines.length - 1].split(' ').map(Number);
    maxRssKb = rss;
    cpuMs = (user + sys) * 1000;
  } catch {
    throw new Error(`no peak RSS for node ${args.join(' ')}: ${Buffer.concat(stderr).toString().slice(0, 500)}`);
  } finally {
    rmSync(rssFile, { force: true });
  }
  if (exitCode !== 0 && exitCode !== 1) throw new Error(`node ${args.join(' ')} exited ${exitCode}: ${Buffer.concat(stderr).toString().slice(0, 500)}`);
  return { wallMs, cpuMs, maxRssKb, exitCode };
}
