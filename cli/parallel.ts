/**
 * `validate` on several cores. Big inputs are cut into contiguous groups of files of about equal
 * size, one per thread; the main thread takes the first group and worker threads the others.
 * Two phases, as on one thread: each thread runs the Service pass over its own files and sends
 * the Services to the main thread, which joins them in input order (then the `--services` files)
 * and sends the whole set back; then each thread validates its files. The cross-slice index stays
 * on the main thread: workers send a summary of each judged slice (cross-slice.ts `summaryOf`),
 * added after the main thread's own slices, so the index sees every slice in input order. The
 * output is the same byte for byte whatever the number of threads (a test checks it), and so are
 * stderr notes and errors: each group's are given in group order.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { SliceguardError, type ErrorCode } from '../policies/errors.ts';
import type { Policy } from '../policies/policy.ts';
import { CrossSliceIndex } from '../policies/cross-slice.ts';
import type { KubeVersion, ServiceInfo } from '../policies/types.ts';
import { inputSizes, regularInputBytes, type InputFile } from './inputs.ts';
import type { RunReport } from './report.ts';
import type { Sources } from './sources.ts';
import { serviceIndexOf, servicesOfFiles, servicesOfServiceFiles } from './service-pass.ts';
import { finishRun, validateGroup, type GroupResult, type SliceRef } from './validate-files.ts';
import { holdYoungGenerationCap, prepareBigRun, releaseYoungGenerationCap, YOUNG_GENERATION_MB } from './young-generation.ts';

/** Below this much input a run stays on one thread: starting a worker costs about 60 ms. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
/** The most threads `--jobs auto` uses. */
const MAX_AUTO_JOBS = 4;

/**
 * The threads `--jobs auto` means here: one per core but one (as Jest's default), at most 4. V8
 * collects garbage on helper threads, which need a core too: on 2 cores, two threads always cost
 * more CPU and memory and were no faster over two benchmark runs (docs/performance.md).
 */
export function autoThreads(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, MAX_AUTO_JOBS));
}

/** What a worker needs (cli/validate-worker.ts). */
export interface WorkerInput {
  files: InputFile[];
  fileIndexes: number[];
  policyFile: string | undefined;
  strict: boolean;
  cwd: string;
  kubeVersion: KubeVersion;
  namespace: string;
}

/** A failure, with the code the CLI prints (and, from the Service pass, the notes said before it). */
export interface WorkerFailure {
  ok: false;
  code: ErrorCode;
  message: string;
  notes?: string[];
}

/** Phase 1, worker to main: the Services of the worker's files and the notes it would have printed. */
export type WorkerServices = { ok: true; services: ServiceInfo[]; notes: string[]; notedFiles: number[] } | WorkerFailure;

/** Phase 2, main to worker: every Service of the run (undefined: none, the Service-aware rules stay silent). */
export interface WorkerGo {
  services: ServiceInfo[] | undefined;
}

/** Phase 2, worker to main: the group's results and its judged slices' summaries. */
export type WorkerResults = { ok: true; group: GroupResult; slices: [Record<string, unknown>, string | undefined, SliceRef][] } | WorkerFailure;

/** Returns how many threads to use for these files: 1 unless the input is big and cores are free. */
export function threadsFor(files: readonly InputFile[], jobs: number | 'auto'): number {
  const wanted = jobs === 'auto' ? autoThreads() : jobs;
  if (wanted < 2 || files.length < 2) return 1;
  // A pipe is read on the main thread (its text is kept there for the second pass).
  const bytes = regularInputBytes(files);
  if (bytes === undefined || (jobs === 'auto' && bytes < PARALLEL_MIN_BYTES)) return 1;
  return Math.min(wanted, files.length);
}


// The main thread's group is this much larger than a worker's: a worker starts about a quarter
// of a second later (a thread, and the modules loaded again), measured on 2 cores.
const MAIN_WEIGHT = 1.25;

/**
 * Returns the file indexes cut into `n` contiguous groups of about equal size in bytes (the
 * first, the main thread's, MAIN_WEIGHT times the others).
 */
export function splitBySize(files: readonly InputFile[], n: number): number[][] {
  const sizes = inputSizes(files);
  const total = sizes.reduce((a, b) => a + b, 0);
  const unit = total / (n - 1 + MAIN_WEIGHT);
  const groups: number[][] = [[]];
  let acc = 0;
  sizes.forEach((size, i) => {
    // Start the next group once this one holds its share, or when each later group needs a file.
    const share = unit * (MAIN_WEIGHT + groups.length - 1);
    const needed = n - groups.length;
    if (needed > 0 && groups[groups.length - 1].length > 0 && (acc >= share || files.length - i <= needed)) groups.push([]);
    groups[groups.length - 1].push(i);
    acc += size;
  });
  return groups;
}

/** What `validateFilesParallel` needs besides the sources and the policy. */
export interface ParallelOptions {
  kubeVersion: KubeVersion;
  namespace: string;
  /** `--services` paths. */
  services: readonly string[];
  policyFile?: string;
  strict: boolean;
  cwd: string;
  /** Where the workers' notes (a file's text encoding) go, as the main thread's own do. */
  stderr: (text: string) => void;
}

/**
 * Returns the run report of `collectServices` + `validateFiles`, computed on `threads` threads.
 * Errors in a worker (an unreadable file, a bug) end the run as they would on one thread.
 */
export async function validateFilesParallel(sources: Sources, policy: Policy, opts: ParallelOptions, threads: number): Promise<RunReport> {
  const groups = splitBySize(sources.files, threads);
  // A parallel run is a big run (cli/young-generation.ts): the workers' young generations are
  // capped by Node's own means, the main thread's once the workers have read their Services.
  holdYoungGenerationCap();
  prepareBigRun();
  const workers = groups.slice(1).map((fileIndexes) =>
    startWorker({ files: sources.files, fileIndexes, policyFile: opts.policyFile, strict: opts.strict, cwd: opts.cwd, kubeVersion: opts.kubeVersion, namespace: opts.namespace }),
  );
  try {
    // Phase 1: the Service pass, each thread over its own files; joined in input order.
    const infos = servicesOfFiles(sources, groups[0], opts.namespace);
    for (const w of workers) {
      const out = await w.next<WorkerServices>();
      // Said by the worker as it read its files; said here in file order, as one thread would.
      for (const note of out.notes ?? []) opts.stderr(note);
      if (!out.ok) throw new SliceguardError(out.code, out.message);
      // A file re-read here (to place cross-slice findings) must not be noted twice.
      for (const i of out.notedFiles) sources.markNoted(sources.files[i]);
      for (const info of out.services) infos.push(info);
    }
    // The workers have read their Services, and their young generations have grown with them.
    releaseYoungGenerationCap();
    for (const info of servicesOfServiceFiles(sources, opts.services, opts.namespace, opts.cwd)) infos.push(info);
    const services = serviceIndexOf(infos, opts.services);
    const all = services?.all();
    for (const w of workers) w.send({ services: all } satisfies WorkerGo);

    // Phase 2: validation; the main thread's slices go into the cross-slice index first.
    const run = { kubeVersion: opts.kubeVersion, namespace: opts.namespace, services };
    const cross = new CrossSliceIndex<SliceRef>(policy);
    const parts = [validateGroup(sources, groups[0], policy, run, (slice, namespace, ref) => cross.add(slice, namespace, ref))];
    let offset = parts[0].results.length;
    for (const w of workers) {
      const out = await w.next<WorkerResults>();
      if (!out.ok) throw new SliceguardError(out.code, out.message);
      for (const [slice, namespace, ref] of out.slices) cross.add(slice, namespace, { ...ref, result: ref.result + offset });
      parts.push(out.group);
      offset += out.group.results.length;
    }
    return finishRun(sources, cross, run, parts);
  } finally {
    releaseYoungGenerationCap();
    await Promise.all(workers.map((w) => w.stop()));
  }
}

interface RunningWorker {
  /** Resolves with the worker's next message (or a failure when it stops or breaks first). */
  next<T>(): Promise<T | WorkerFailure>;
  send(message: WorkerGo): void;
  stop(): Promise<unknown>;
}

function startWorker(input: WorkerInput): RunningWorker {
  const url = new URL(`./validate-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  const worker = new Worker(url, { workerData: input, stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const inbox: unknown[] = [];
  let waiting: ((m: unknown) => void) | undefined;
  let failure: WorkerFailure | undefined;
  const deliver = (m: unknown): void => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(m);
    } else inbox.push(m);
  };
  worker.on('message', deliver);
  worker.once('error', (err: Error) => {
    failure ??= { ok: false, code: 'SG_INTERNAL', message: `validate worker failed: ${err.message}` };
    deliver(failure);
  });
  worker.once('exit', (code) => {
    failure ??= { ok: false, code: 'SG_INTERNAL', message: `validate worker stopped (exit code ${code}) before it answered` };
    deliver(failure);
  });
  return {
    next: <T>() => new Promise<T | WorkerFailure>((resolve) => {
      if (inbox.length > 0) resolve(inbox.shift() as T);
      else waiting = resolve as (m: unknown) => void;
    }),
    send: (message) => worker.postMessage(message),
    stop: () => worker.terminate(),
  };
}
