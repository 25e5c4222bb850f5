/**
 * The scaling row: the whole `validate --format json` path, run in-process (no start-up), on
 * corpora holding the same number of endpoints as slices of 10, 100 and 1000 endpoints, next to
 * js-yaml `loadAll` on the same files. Cost per endpoint must not grow with slice size.
 */
import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseValidateArgs } from '../cli/commands/validate.ts';
import { runValidation } from '../cli/commands/validate-run.ts';
import type { Io } from '../cli/io.ts';
import type { WrittenCorpus } from './generate.ts';
import { spread, verdict, type Spread, type Verdict } from './stats.ts';

/** One slice size. */
export interface ScalingRow {
  endpointsPerSlice: number;
  slices: number;
  /** Microseconds per slice (median over the rounds). */
  subjectUsPerSlice: Spread;
  floorUsPerSlice: Spread;
  /** Nanoseconds per endpoint, from the medians. */
  subjectNsPerEndpoint: number;
  floorNsPerEndpoint: number;
  /** Subject time over floor time. */
  ratioToFloor: number;
}

/** The scaling result: the rows, and whether the cost per endpoint stays flat from 100 to 1000. */
export interface ScalingResult {
  rows: ScalingRow[];
  /** Per-endpoint cost at 1000 over that at 100 (linear: about 1 or less). */
  linearity: Verdict;
}

const quietIo = (cwd: string): Io => ({ cwd, stdout: () => {}, stderr: () => {}, readStdin: () => '', stdoutIsTTY: false, env: {} });

/** Measures each corpus for `rounds` rounds after one warm-up, floor and subject alternating. */
export async function runScaling(corpora: { size: number; corpus: WrittenCorpus }[], rounds: number): Promise<ScalingResult> {
  const rows: ScalingRow[] = [];
  for (const { size, corpus } of corpora) {
    const files = readdirSync(corpus.manifests).sort().map((f) => join(corpus.manifests, f));
    const floor = (): void => files.forEach((f) => yaml.loadAll(readFileSync(f, 'utf8')));
    const subject = async (): Promise<void> => {
      // One thread: the row is about the cost per document, not about how many cores there are.
      // The validation itself (runValidation), not runValidate: for a big input that sets V8 flags
      // for the whole process (cli/young-generation.ts), the benchmark's own process included.
      const opts = parseValidateArgs(['--jobs', '1', '--format', 'json', corpus.manifests], process.cwd());
      if (opts === 'help') throw new Error('unexpected --help');
      const code = await runValidation(opts, quietIo(process.cwd()));
      if (code === 2) throw new Error(`validate failed on ${corpus.manifests}`);
    };
    const f: number[] = [];
    const s: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      let t = performance.now();
      floor();
      const ft = performance.now() - t;
      t = performance.now();
      await subject();
      const st = performance.now() - t;
      if (r > 0) (f.push((ft * 1000) / corpus.slices), s.push((st * 1000) / corpus.slices));
    }
    const subjectUs = spread(s);
    const floorUs = spread(f);
    rows.push({
      endpointsPerSlice: size,
      slices: corpus.slices,
      subjectUsPerSlice: subjectUs,
      floorUsPerSlice: floorUs,
      subjectNsPerEndpoint: (subjectUs.median * 1000) / size,
      floorNsPerEndpoint: (floorUs.median * 1000) / size,
      ratioToFloor: subjectUs.median / floorUs.median,
    });
  }
  const at = (n: number): number => rows.find((r) => r.endpointsPerSlice === n)?.subjectNsPerEndpoint ?? NaN;
  return { rows, linearity: verdict(at(1000) / at(100), 1.2, 'atMost') };
}
