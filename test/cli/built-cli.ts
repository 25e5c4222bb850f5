/** The built CLI for end-to-end tests, rebuilt first when a source file is newer than its build. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { staleSources } from '../../scripts/build.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The built entry point, as package.json `bin.sliceguard` names it. */
export const CLI = join(ROOT, 'dist/cli/main.js');

/** Builds dist/ (as `npm run build` does) unless it is up to date with every source (scripts/build.ts `staleSources`). */
export function ensureBuilt(): void {
  if (staleSources(ROOT).length === 0) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: 'inherit' });
}
