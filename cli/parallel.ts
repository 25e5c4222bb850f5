/**
 * `validate` on several cores. Big inputs are cut into contiguous groups of files of about equal
 * size; the main thread validates the first group while worker threads validate the others, and
 * the groups' results are joined in input order. The cross-slice index stays on the main thread:
 * workers send a summary of each judged slice (cross-slice.ts `summaryOf`), which is added after
 * the main thread's own slices, so the index sees every slice in input order, as in a single run.
 * The output is the same byte for byte whatever the number of threads (a test checks it).
 */
import { Worker } from 'node:worker_threads';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SliceguardError, type ErrorCode } from '../policies/errors.ts';
import type { Policy } from '../policies/policy.ts';
import { CrossSliceIndex } from '../policies/cross-slice.ts';
import type { ServiceInfo } from '../policies/types.ts';
import type { ServiceIndex } from '../policies/services.ts';
import type { InputFile } from './inputs.ts';
import type { RunReport } from './report.ts';
import type { Sources } from './sources.ts';
import { finishRun, validateGroup, type GroupResult, type RunOptions, type SliceRef } from './validate-files.ts';

/** Below this much input a run stays on one thread: starting a worker costs about 60 ms. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/** The most threads `--jobs auto` uses. */
const MAX_AUTO_JOBS = 4;

/** What a worker needs to validate its group (cli/validate-worker.ts). */
export interface WorkerInput {
  files: InputFile[];
  fileIndexes: number[];
  /** Stand-ins left by the Service pass: [file index, [document index, stand-in][]]. */
  carried: [number, [number, unknown][]][];
  services: ServiceInfo[] | undefined;
  policyFile: string | undefined;
  strict: boolean;
  cwd: string;
  run: Omit<RunOptions, 'services'>;
}

/**
 * What a worker sends back: its group's results and its slices' summaries. Not its stderr notes
 * (a file's text encoding): the Service pass has read every file on the main thread already and
 * said them there, once per file.
 */
export type WorkerOutput =
  | { ok: true; group: GroupResult; slices: [Record<string, unknown>, string | undefined, SliceRef][] }
  | { ok: false; code: ErrorCode; message: string };

/** Returns how many threads to use for these files: 1 unless the input is big and cores are free. */
export function threadsFor(files: readonly InputFile[], jobs: number | 'auto'): number {
  const wanted = jobs === 'auto' ? Math.min(availableParallelism(), MAX_AUTO_JOBS) : jobs;
  if (wanted < 2 || files.length < 2 || files.some((f) => f.path === '-')) return 1;
  if (jobs === 'auto' && totalBytes(files) < PARALLEL_MIN_BYTES) return 1;
  return Math.min(wanted, files.length);
}

function totalBytes(files: readonly InputFile[]): number {
  let total = 0;
  for (const f of files) {
    try {
      total += statSync(f.path).size;
    } catch {
      // Unreadable files are reported when they are read, in order.
    }
  }
  return total;
}

/** Returns the file indexes cut into `n` contiguous groups of about equal size in bytes. */
export function splitBySize(files: readonly InputFile[], n: number): number[][] {
  const sizes = files.map((f) => {
    try {
      return statSync(f.path).size;
    } catch {
      return 0;
    }
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const groups: number[][] = [[]];
  let acc = 0;
  sizes.forEach((size, i) => {
    // Start the next group once this one holds its share, or when each later group needs a file.
    const share = (total * groups.length) / n;
    const needed = n - groups.length;
    if (needed > 0 && groups[groups.length - 1].length > 0 && (acc >= share || files.length - i <= needed)) groups.push([]);
    groups[groups.length - 1].push(i);
    acc += size;
  });
  return groups;
}

/**
 * Returns the run report of `validateFiles`, computed on `threads` threads. Errors in a worker
 * (an unreadable file, a bug) end the run as they would on one thread, with the same code.
 */
export async function validateFilesParallel(
  sources: Sources,
  policy: Policy,
  opts: RunOptions & { policyFile: string | undefined; strict: boolean; cwd: string; services: ServiceIndex | undefined },
  threads: number,
): Promise<RunReport> {
  const groups = splitBySize(sources.files, threads);
  const services = opts.services?.all();
  const workers = groups.slice(1).map((fileIndexes) => startWorker({
    files: sources.files,
    fileIndexes,
    carried: fileIndexes.map((i) => [i, sources.carriedFor(sources.files[i])]),
    services,
    policyFile: opts.policyFile,
    strict: opts.strict,
    cwd: opts.cwd,
    run: { kubeVersion: opts.kubeVersion, namespace: opts.namespace },
  }));
  const cross = new CrossSliceIndex<SliceRef>(policy);
  let own: GroupResult;
  try {
    own = validateGroup(sources, groups[0], policy, opts, (slice, namespace, ref) => cross.add(slice, namespace, ref));
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop()));
    throw err;
  }
  const parts: GroupResult[] = [own];
  let offset = own.results.length;
  for (let k = 0; k < workers.length; k++) {
    const out = await workers[k].result;
    if (!out.ok) {
      await Promise.all(workers.slice(k + 1).map((w) => w.stop()));
      throw new SliceguardError(out.code, out.message);
    }
    for (const [slice, namespace, ref] of out.slices) cross.add(slice, namespace, { ...ref, result: ref.result + offset });
    parts.push(out.group);
    offset += out.group.results.length;
  }
  return finishRun(sources, cross, opts, parts);
}

interface RunningWorker {
  result: Promise<WorkerOutput>;
  stop(): Promise<unknown>;
}

function startWorker(input: WorkerInput): RunningWorker {
  // Run from source (.ts, in tests) or from dist (.js), whichever this module is.
  const url = new URL(import.meta.url.endsWith('.ts') ? './validate-worker.ts' : './validate-worker.js', import.meta.url);
  const worker = new Worker(url, { workerData: input, stdout: false, stderr: false });
  const result = new Promise<WorkerOutput>((resolve) => {
    let done = false;
    worker.once('message', (out: WorkerOutput) => ((done = true), resolve(out)));
    worker.once('error', (err: Error) => resolve({ ok: false, code: 'SG_INTERNAL', message: `validate worker failed: ${err.message}` }));
    worker.once('exit', (code) => {
      if (!done) resolve({ ok: false, code: 'SG_INTERNAL', message: `validate worker stopped (exit code ${code}) before it answered` });
    });
  });
  return { result, stop: () => worker.terminate() };
}
