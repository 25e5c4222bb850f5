/**
 * What the benchmark checks before it measures: that dist/ is the build of the current sources
 * (a stale build would be measured silently), whether `sliceguard serve` exists yet, and which
 * load generator to use.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { staleSources } from '../scripts/build.ts';

/** Rebuilds dist/ as `npm run build` does (scripts/build.ts) when any source is newer than its build. */
export function ensureBuilt(root: string, log: (line: string) => void): void {
  const stale = staleSources(root);
  if (stale.length === 0) return;
  log(`dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}): building`);
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.ts')], { cwd: root, encoding: 'utf8' });
  // tsc still emits when types are wrong; measure what was built, but say so.
  if (r.status !== 0) log(`warning: the build reported errors; measuring what it emitted:\n${(r.stdout + r.stderr).split('\n').slice(0, 5).join('\n')}`);
}

/**
 * Copies dist/ (and package.json, for the version) to `dest` and returns the CLI there: a build
 * started by someone else during a long run must not change what is being measured halfway.
 */
export function snapshotBuild(root: string, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(join(root, 'dist'), join(dest, 'dist'), { recursive: true });
  copyFileSync(join(root, 'package.json'), join(dest, 'package.json'));
  return join(dest, 'dist', 'cli', 'main.js');
}

/** Returns true when `sliceguard serve` takes --cert/--key, else why the webhook part is skipped. */
export function serveAvailable(cli: string): true | string {
  const r = spawnSync(process.execPath, [cli, 'serve', '--help'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status === 0 && r.stdout.includes('--cert')) return true;
  return `sliceguard serve --help exited ${r.status}: ${(r.stderr || r.stdout).split('\n')[0]}`;
}

/** Returns the load generator: wrk for `auto` when it is installed (lighter on its core), else autocannon. */
export function whichLoadTool(choice: string): 'autocannon' | 'wrk' {
  if (choice === 'autocannon' || choice === 'wrk') return choice;
  // `wrk --version` prints its banner and exits 1; a missing binary gives an error instead.
  const r = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  return !r.error && /wrk/.test(r.stdout + r.stderr) ? 'wrk' : 'autocannon';
}
