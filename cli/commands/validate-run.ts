/**
 * The validation of `sliceguard validate`, once cli/commands/validate.ts has parsed the flags
 * and decided that it runs on this thread.
 */
import { loadPolicy } from '../policy-file.ts';
import { CHUNKED_FORMATTERS, FORMATTERS } from '../formatters/index.ts';
import { expandInputs } from '../inputs.ts';
import type { Io } from '../io.ts';
import type { RunReport } from '../report.ts';
import { VERSION } from '../version.ts';
import { Sources } from '../sources.ts';
import { validateFiles, type RunOptions } from '../validate-files.ts';
import { collectServices } from '../service-pass.ts';
import { threadsFor, validateFilesParallel } from '../parallel.ts';
import type { ValidateOptions } from './validate.ts';

/** Validates the inputs `opts` names on this thread (on several, for `--jobs`) and returns the exit code. */
export async function runValidation(opts: ValidateOptions, io: Io): Promise<number> {
  const policy = loadPolicy(opts.policyFile, { strict: opts.strict }, io.cwd);
  const files = expandInputs(opts.paths, io.cwd);
  const fixing = opts.fix || opts.fixDryRun;
  const sources = new Sources(files, io);
  const threads = fixing ? 1 : threadsFor(files, opts.jobs);
  if (threads > 1) {
    // The Service pass runs on every thread too (cli/parallel.ts).
    const report = await validateFilesParallel(sources, policy, { ...opts, cwd: io.cwd, stderr: io.stderr }, threads);
    return output(report, opts, io);
  }
  const services = collectServices(sources, opts);
  const run: RunOptions = { kubeVersion: opts.kubeVersion, namespace: opts.namespace, services };
  if (fixing) {
    // Loaded only when asked for: the `yaml` package stays off the plain validation path.
    const { fixFiles } = await import('../fix.ts');
    const diff = fixFiles(sources, policy, run, { write: opts.fix, io });
    if (opts.fixDryRun) {
      io.stdout(diff);
      return validateFiles(sources, policy, run).summary.denied > 0 ? 1 : 0;
    }
  }
  return output(validateFiles(sources, policy, run), opts, io);
}

function output(report: RunReport, opts: ValidateOptions, io: Io): number {
  const options = { color: io.stdoutIsTTY && opts.format === 'text', version: VERSION };
  const chunked = CHUNKED_FORMATTERS[opts.format];
  if (chunked) for (const piece of chunked(report, options)) io.stdout(piece);
  else io.stdout(FORMATTERS[opts.format](report, options));
  return report.summary.denied > 0 ? 1 : 0;
}

