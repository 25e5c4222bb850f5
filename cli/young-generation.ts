/**
 * Big `validate` runs keep V8's young generation small. `validate` keeps what the Service-aware
 * rules need (the Services, the cross-slice index) and the results until the end, and every
 * scavenge that sees that data survive makes V8 grow the young generation, doubling it up to 64 MB
 * semi-spaces (128 MB committed) on the benchmark's typical corpus, for no gain in time.
 *
 * V8 reads its young-generation size flags only when a heap is set up, so until the tenth round
 * a big run went to a worker thread whose young generation was capped with Node's
 * `resourceLimits.maxYoungGenerationSizeMb`. The growth factor, though, V8 reads each time it
 * grows the young generation: once the semi-spaces have grown to SEMI_SPACE_MB,
 * `--semi-space-growth-factor=1` keeps them there. The run checks after every CHECK_EVERY
 * characters of documents it reads (`noteWork`, from cli/sources.ts), in both passes, far more
 * often than V8 doubles them (every 100 ms or so at that size). That saves the thread's start-up (a second copy
 * of Node's internals and of the validation code, compiled and optimised again) and the relay of
 * the output. Parallel workers (cli/parallel.ts) keep the documented cap as well.
 * See docs/performance.md ("Fifth round" and "Tenth round").
 *
 * One module instance for the process: the build keeps it out of the bundles (scripts/build.ts).
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** Inputs of at least this many bytes (in all) are big runs; so is any input of unknown size (stdin, a pipe). */
export const BIG_RUN_BYTES = 4 * 1024 * 1024;

/**
 * The semi-space size at which a big run stops the young generation's growth, in MB. 1 MB (V8's
 * first size) cost 10% more time in scavenges, 8 MB more memory (measured in docs/performance.md).
 */
export const SEMI_SPACE_MB = 4;

/**
 * The young-generation cap of parallel validation workers, in MB (V8 makes 4 MB semi-spaces of
 * it). Smaller caps promote more short-lived data into the old generation; larger ones let the
 * young generation grow again (measured in docs/performance.md).
 */
export const YOUNG_GENERATION_MB = 12;

/** True when `validate` over `bytes` of input (undefined: unknown, read from a pipe) is a big run. */
export function isBigRun(bytes: number | undefined): boolean {
  return bytes === undefined || bytes >= BIG_RUN_BYTES;
}

// True until a big run is prepared, and again once its young generation is capped.
let capped = true;
// True while a parallel run's workers may still be growing theirs (see holdYoungGenerationCap).
let holding = false;

/**
 * Sets this process's V8 up for a big run, on every thread:
 * - the young generation stops growing once its semi-spaces reach SEMI_SPACE_MB (see above);
 * - `--no-allocation-site-pretenuring`: the Service pass keeps most of what it parses, so V8 sees
 *   the parser's object literals survive and may decide to allocate them in the old generation
 *   from then on; the validation pass then fills the old generation with slices that die at once,
 *   up to 70 MB before the next full collection. Whether that happens depends on the timing of the
 *   first scavenges: on the benchmark's typical corpus half the runs peaked at about 132 MB and
 *   half at about 175 MB. Without pretenuring the long-lived data is promoted by scavenges
 *   instead, at no measurable cost in time. See docs/performance.md ("Eighth round").
 *
 * Process-wide: the CLI calls it for `validate` only, never the webhook. `setFlagsFromString`
 * ignores flags this V8 does not know; test/cli/young-generation.test.ts checks that both are known
 * and take effect.
 */
export function prepareBigRun(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  capped = false;
  checkYoungGeneration();
}

/** Characters of documents read between two checks: a few per 1000-endpoint document, one per some 200 typical ones. */
const CHECK_EVERY = 256 * 1024;
/**
 * A document at least this long (a `kubectl get -o yaml` List, a big JSON file) is parsed and
 * checked without a check in between, and most of what it makes lives until its last item: the
 * young generation is capped at once, at the size it has, before it is read.
 */
const WHOLE_DOCUMENT = 1024 * 1024;
let sinceCheck = 0;

/** Counts a document of `chars` characters about to be read, and checks the young generation every CHECK_EVERY; nothing once capped. */
export function noteWork(chars: number): void {
  if (capped) return;
  if (chars >= WHOLE_DOCUMENT && !holding) {
    setCap();
    return;
  }
  sinceCheck += chars;
  if (sinceCheck < CHECK_EVERY) return;
  sinceCheck = 0;
  checkYoungGeneration();
}

/**
 * Parallel runs (cli/parallel.ts): the flag is process-wide, and a worker's young generation starts
 * at 1 MB semi-spaces too, so capping when the main thread's reaches SEMI_SPACE_MB would stop the
 * workers' where they are (1 or 2 MB; on the typical corpus with --jobs 2, about 5% slower). Workers
 * have Node's cap, which stops them at SEMI_SPACE_MB; the main thread holds its own cap back until
 * they have read their Services (by then their young generations have grown) and then releases it.
 */
export function holdYoungGenerationCap(): void {
  holding = true;
}

/** Ends `holdYoungGenerationCap`: the main thread's young generation is capped from now on, at what it has grown to. */
export function releaseYoungGenerationCap(): void {
  holding = false;
  if (!capped) setCap();
}

/** Stops the young generation's growth once it is SEMI_SPACE_MB, after `prepareBigRun`. */
function checkYoungGeneration(): void {
  if (capped || holding) return;
  const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  // Two semi-spaces; a V8 that reports no new space gets the cap at once.
  if (young && young.space_size < 2 * SEMI_SPACE_MB * 1024 * 1024) return;
  setCap();
}

function setCap(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  capped = true;
}
