/**
 * Big `validate` runs keep V8's young generation small. `validate` keeps what the Service-aware
 * rules need (the Services, the cross-slice index) and the results until the end, and every
 * scavenge that sees that data survive makes V8 grow the young generation, up to 64 MB
 * semi-spaces (128 MB committed) on the benchmark's typical corpus, for no gain in time.
 *
 * V8 reads its young-generation size flags only when a heap is set up, so until the tenth round
 * a big run went to a worker thread whose young generation was capped with Node's
 * `resourceLimits.maxYoungGenerationSizeMb`. The growth factor, though, V8 reads at every
 * scavenge: with `--semi-space-growth-factor=1`, set before the run, the main thread's
 * semi-spaces stay at their initial 1 MB. That saves the thread's start-up (a second copy of
 * Node's internals and of the validation code, compiled and optimised again) and the relay of
 * the output. Parallel workers (cli/parallel.ts) keep the documented cap as well. See
 * docs/performance.md ("Fifth round" and "Tenth round").
 */
import { setFlagsFromString } from 'node:v8';

/** Inputs of at least this many bytes (in all) are big runs; so is any input of unknown size (stdin, a pipe). */
export const BIG_RUN_BYTES = 4 * 1024 * 1024;

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

/**
 * Sets this process's V8 up for a big run, from the next collection on, on every thread:
 * - `--semi-space-growth-factor=1`: the young generation keeps the size it has (see above).
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
  setFlagsFromString('--semi-space-growth-factor=1');
  setFlagsFromString('--no-allocation-site-pretenuring');
}
