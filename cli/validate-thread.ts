/**
 * Big `validate` runs happen on a worker thread whose young generation is capped. `validate`
 * keeps what the Service-aware rules need (the Services, the cross-slice index) and the results
 * until the end, and every scavenge that sees that data survive makes V8 grow the young
 * generation, up to 64 MB semi-spaces (128 MB committed) on the benchmark's typical corpus. A
 * program cannot choose its own young generation (the size flags are read at start-up), but
 * it can choose a worker's: `resourceLimits.maxYoungGenerationSizeMb` is Node's documented API
 * for it. The main thread only relays the output. Small inputs stay on the main thread: starting
 * a thread costs some 30 to 60 ms, which a CI run on a few files should not pay.
 * See docs/performance.md ("Fifth round").
 */
import { setFlagsFromString } from 'node:v8';
import { Worker, isMainThread } from 'node:worker_threads';
import { SliceguardError } from '../policies/errors.ts';
import type { Io } from './io.ts';

/**
 * The young-generation cap of the validation threads, in MB (V8 makes 4 MB semi-spaces of it).
 * Smaller caps promote more short-lived data into the old generation; larger ones let the young
 * generation grow again (measured in docs/performance.md).
 */
export const YOUNG_GENERATION_MB = 12;

/**
 * Turns off V8's allocation-site pretenuring, process-wide and from the next collection on, before
 * validation threads start. The main thread only relays a big run's output; with `--jobs` on a
 * smaller input it validates a group of files too, equally well without pretenuring. (Input from
 * a pipe is validated on the main thread, which keeps the default.) The Service pass keeps most
 * of what it parses, so V8 sees the parser's object literals survive and may decide to allocate
 * them in the old generation from then on; the validation pass then
 * fills the old generation with slices that die at once, up to 70 MB before the next full
 * collection. Whether that happens depends on the timing of the first scavenges: on the
 * benchmark's typical corpus half the runs peaked at about 132 MB and half at about 175 MB.
 * Without pretenuring the long-lived data is promoted by scavenges instead, at no measurable
 * cost in time. See docs/performance.md ("Eighth round").
 */
export function prepareValidationThreads(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

/** Inputs of at least this many bytes (in all) are validated on a thread with a capped young generation. */
export const THREAD_MIN_BYTES = 4 * 1024 * 1024;

/** What the thread gets: the command's arguments and the caller's Io, less its functions. */
export interface ThreadInput {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdoutIsTTY: boolean;
}

/** What the thread posts, in order: output for stdout or stderr, then the exit code. */
export type ThreadMessage = { kind: 'stdout' | 'stderr'; text: string } | { kind: 'exit'; code: number };

/**
 * Returns the URL of a worker module beside this one in cli/: its .ts source when this module runs
 * from source (tests), its .js build when it runs from dist.
 */
export function workerModuleUrl(name: string): URL {
  return new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
}

/** True when a run over `bytes` of input should go to a thread: on the main thread only, and when big enough. */
export function runsOnThread(bytes: number, mainThread = isMainThread): boolean {
  return mainThread && bytes >= THREAD_MIN_BYTES;
}

/**
 * Runs `sliceguard validate argv` on a worker thread with a capped young generation, passing its
 * output to `io` as it comes, and returns its exit code. The thread runs the same command (it
 * never starts another such thread), so output, errors and exit code are the same as on the main
 * thread; a thread that dies without an exit code is an internal error (SG_INTERNAL).
 */
export function validateOnThread(argv: string[], io: Io): Promise<number> {
  const url = workerModuleUrl('validate-thread-worker');
  const input: ThreadInput = { argv, cwd: io.cwd, env: { ...io.env }, stdoutIsTTY: io.stdoutIsTTY };
  prepareValidationThreads();
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, {
      workerData: input,
      stdout: false,
      stderr: false,
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    let code: number | undefined;
    let failure: Error | undefined;
    worker.on('message', (m: ThreadMessage) => {
      if (m.kind === 'exit') code = m.code;
      else if (m.kind === 'stdout') io.stdout(m.text);
      else io.stderr(m.text);
    });
    worker.once('error', (err: Error) => {
      failure ??= err;
    });
    worker.once('exit', (exitCode) => {
      if (code !== undefined && !failure) resolve(code);
      else reject(new SliceguardError('SG_INTERNAL', `validation thread stopped (exit code ${exitCode}) before it finished${failure ? `: ${failure.message}` : ''}`));
    });
  });
}
