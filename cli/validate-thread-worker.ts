/**
 * The worker thread of a big `validate` run (cli/validate-thread.ts): runs the command as the main
 * thread would and posts its output and exit code. Errors are printed and turned into exit codes
 * by `main`, as on the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SliceguardError } from '../policies/errors.ts';
import type { Io } from './io.ts';
import { main } from './main.ts';
import type { ThreadInput, ThreadMessage } from './validate-thread.ts';

const input = workerData as ThreadInput;
const post = (m: ThreadMessage): void => parentPort?.postMessage(m);
const io: Io = {
  cwd: input.cwd,
  stdout: (text) => post({ kind: 'stdout', text }),
  stderr: (text) => post({ kind: 'stderr', text }),
  readStdin: () => {
    throw new SliceguardError('SG_INTERNAL', 'the validation thread was asked for stdin');
  },
  stdoutIsTTY: input.stdoutIsTTY,
  env: input.env,
};
post({ kind: 'exit', code: await main(['validate', ...input.argv], io) });
