/** The built CLI for end-to-end tests, rebuilt first when a source file is newer than it. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The built entry point, as package.json `bin.sliceguard` names it. */
export const CLI = join(ROOT, 'dist/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestSource(path) : name.endsWith('.ts') ? st.mtimeMs : 0);
  }
  return newest;
}

/** Builds dist/ (as `npm run build` does) unless it is newer than every source file. */
export function ensureBuilt(): void {
  const sources = Math.max(
    ...['policies', 'cli', 'webhook', 'certs'].filter((d) => existsSync(join(ROOT, d))).map((d) => newestSource(join(ROOT, d))),
    // The build script decides what dist/ holds (the bundles).
    statSync(join(ROOT, 'scripts/build.ts')).mtimeMs,
  );
  if (existsSync(CLI) && statSync(CLI).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.ts')], { cwd: ROOT, stdio: 'inherit' });
}
