/**
 * A worker thread of a parallel `validate` (cli/parallel.ts). Phase 1: the Service pass over its
 * files, posting the Services and the notes it would have written to stderr. Phase 2, once the
 * main thread has sent every Service of the run: validates its files and posts the results with a
 * summary of each judged slice for the cross-slice index. Never prints; errors are posted with
 * their codes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SliceguardError } from '../policies/errors.ts';
import { CrossSliceIndex } from '../policies/cross-slice.ts';
import { ServiceIndex } from '../policies/services.ts';
import { loadPolicy } from './policy-file.ts';
import { Sources } from './sources.ts';
import type { Io } from './io.ts';
import { servicesOfFiles } from './service-pass.ts';
import { validateGroup, type SliceRef } from './validate-files.ts';
import type { WorkerFailure, WorkerGo, WorkerInput, WorkerResults, WorkerServices } from './parallel.ts';

const input = workerData as WorkerInput;
const port = parentPort;
const notes: string[] = [];
const io: Io = {
  cwd: input.cwd,
  stdout: () => {},
  stderr: (text) => void notes.push(text),
  readStdin: () => {
    throw new SliceguardError('SG_INTERNAL', 'validate worker asked for stdin');
  },
  stdoutIsTTY: false,
  env: {},
};
const sources = new Sources(input.files, io);

function failure(err: unknown): WorkerFailure {
  return err instanceof SliceguardError
    ? { ok: false, code: err.code, message: err.message }
    : { ok: false, code: 'SG_INTERNAL', message: `internal error: ${(err as Error)?.message ?? String(err)}` };
}

function servicesPhase(): WorkerServices {
  try {
    const services = servicesOfFiles(sources, input.fileIndexes, input.namespace);
    const notedFiles = input.fileIndexes.filter((i) => !sources.rewritable(input.files[i]));
    return { ok: true, services, notes: notes.splice(0), notedFiles };
  } catch (err) {
    // The notes of the files read before the one that failed are said first, as on one thread.
    return { ...failure(err), notes: notes.splice(0) };
  }
}

function validatePhase(go: WorkerGo): WorkerResults {
  try {
    const policy = loadPolicy(input.policyFile, { strict: input.strict }, input.cwd);
    let services: ServiceIndex | undefined;
    if (go.services) {
      services = new ServiceIndex();
      for (const info of go.services) services.set(info);
    }
    const slices: [Record<string, unknown>, string | undefined, SliceRef][] = [];
    const idle = new CrossSliceIndex(policy).idle;
    const run = { kubeVersion: input.kubeVersion, namespace: input.namespace, services };
    const group = validateGroup(sources, input.fileIndexes, policy, run, (slice, namespace, ref) => {
      const summary = idle ? undefined : CrossSliceIndex.summaryOf(slice);
      if (summary) slices.push([summary, namespace, ref]);
    });
    return { ok: true, group, slices };
  } catch (err) {
    return failure(err);
  }
}

const first = servicesPhase();
port?.postMessage(first);
if (first.ok) {
  port?.once('message', (go: WorkerGo) => {
    port.postMessage(validatePhase(go));
    port.close();
  });
}
