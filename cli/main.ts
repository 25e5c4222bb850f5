#!/usr/bin/env node
import module from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { SliceguardError } from '../policies/errors.ts';
import { processIo, type Io } from './io.ts';
import { VERSION } from './version.ts';

const HELP = `sliceguard ${VERSION}: keeps Kubernetes EndpointSlices correct.

Usage: sliceguard <command> [options]

Commands:
  validate PATH... | -   check manifests offline (CI)
  rules                  list every rule
  serve                  run the admission webhook over TLS
  certs generate|ensure  make and install the webhook's certificates

Run 'sliceguard <command> --help' for a command's options.
`;

/**
 * Runs one sliceguard command and returns its exit code. Each command is imported on demand, so
 * that \`validate\` never loads express or the Kubernetes client.
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return await (await import('./commands/validate.ts')).runValidate(rest, io);
      case 'rules':
        return await (await import('./commands/rules.ts')).runRules(rest, io);
      case 'serve':
        return await (await import('./commands/serve.ts')).runServe(rest, io);
      case 'certs':
        return await (await import('./commands/certs.ts')).runCerts(rest, io);
      case '--version':
      case 'version':
        io.stdout(`${VERSION}\n`);
        return 0;
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new SliceguardError('SG_USAGE', `unknown command ${JSON.stringify(command)}; see sliceguard --help`);
    }
  } catch (err) {
    io.stderr(`sliceguard: ${errorLine(err)}\n`);
    if (io.env.SLICEGUARD_DEBUG && err instanceof Error) io.stderr(`${err.stack}\n`);
    return 2;
  }
}

/** Returns the one line printed for an error: the message for ours, with a code for bugs. */
export function errorLine(err: unknown): string {
  if (err instanceof SliceguardError) return `${err.message} [${err.code}]`;
  const msg = err instanceof Error ? err.message : String(err);
  return `internal error: ${msg.split('\n')[0]} [SG_INTERNAL]`;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
// A worker thread sees the process's argv: one that imported this module must not run the CLI again.
if (isMainThread && (isEntry || process.argv[1]?.endsWith('/sliceguard'))) {
  // `sliceguard validate ... | head` closes the pipe early: the rest of the output has no reader,
  // which is no reason for a stack trace. The run finishes and keeps its exit code.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
  // Node's on-disk cache of compiled code (as tsc does since 5.7), for the modules the short
  // commands import from here on: about 10 ms of every run's start-up once a run has filled it. In
  // the OS's temporary directory unless NODE_COMPILE_CACHE names another;
  // NODE_DISABLE_COMPILE_CACHE=1 turns it off. It never fails a run: a directory that cannot be
  // written is skipped. Not for `serve`, which starts once and runs for weeks: there it held about
  // 10 MB more resident memory under load.
  const command = process.argv[2];
  if (command === 'validate' || command === 'rules') module.enableCompileCache?.();
  main(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`sliceguard: ${errorLine(err)}\n`);
      process.exitCode = 2;
    },
  );
}
