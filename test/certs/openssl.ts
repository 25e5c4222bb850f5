/** Runs the openssl command line for the certificate tests. */
import { spawnSync } from 'node:child_process';

/** Runs openssl in `cwd` and returns its exit status and output (stdout then stderr). */
export function openssl(args: string[], cwd: string): { status: number; out: string } {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}
