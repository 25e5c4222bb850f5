/**
 * A worker thread of a parallel `validate` (cli/parallel.ts): validates one group of files and
 * posts back the results, a summary of each judged slice for the cross-slice index, and the
 * notes it would have written to stderr. Never prints; errors are posted with their codes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SliceguardError } from '../policies/errors.ts';
import { CrossSliceIndex } from '../policies/cross-slice.ts';
import { ServiceIndex } from '../policies/services.ts';
import { loadPolicy } from './policy-file.ts';
import { Sources } from './sources.ts';
import type { Io } from './io.ts';
import { validateGroup, type SliceRef } from './validate-files.ts';
import type { WorkerInput, WorkerOutput } from './parallel.ts';

function run(input: WorkerInput): WorkerOutput {
  const io: Io = {
    cwd: input.cwd,
    stdout: () => {},
    // Encoding notes were written by the main thread's Service pass, which reads every file.
    stderr: () => {},
    readStdin: () => {
      throw new SliceguardError('SG_INTERNAL', 'validate worker asked for stdin');
    },
    stdoutIsTTY: false,
    env: {},
  };
  const policy = loadPolicy(input.policyFile, { strict: input.strict }, input.cwd);
  const sources = new Sources(input.files, io);
  for (const [fileIndex, entries] of input.carried) for (const [doc, standIn] of entries) sources.carry(input.files[fileIndex], doc, standIn);
  let services: ServiceIndex | undefined;
  if (input.services) {
    services = new ServiceIndex();
    for (const info of input.services) services.set(info);
  }
  const slices: [Record<string, unknown>, string | undefined, SliceRef][] = [];
  const idle = new CrossSliceIndex(policy).idle;
  const group = validateGroup(sources, input.fileIndexes, policy, { ...input.run, services }, (slice, namespace, ref) => {
    const summary = idle ? undefined : CrossSliceIndex.summaryOf(slice);
    if (summary) slices.push([summary, namespace, ref]);
  });
  return { ok: true, group, slices };
}

let out: WorkerOutput;
try {
  out = run(workerData as WorkerInput);
} catch (err) {
  out = err instanceof SliceguardError
    ? { ok: false, code: err.code, message: err.message }
    : { ok: false, code: 'SG_INTERNAL', message: `internal error: ${(err as Error)?.message ?? String(err)}` };
}
parentPort?.postMessage(out);
