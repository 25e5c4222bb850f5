import { readFileSync } from 'node:fs';

/** The process's edges, passed in so that commands can be run in tests without a child process. */
export interface Io {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Bytes are decoded as files are (cli/inputs.ts decodeManifest); a string is taken as it is. */
  readStdin(): string | Uint8Array;
  stdoutIsTTY: boolean;
  env: Record<string, string | undefined>;
}

/** Returns the real process's Io. */
export function processIo(): Io {
  return {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readStdin: () => readFileSync(0),
    stdoutIsTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    env: process.env,
  };
}
