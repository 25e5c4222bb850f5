#!/usr/bin/env node
// `npm run build`: compiles the sources into dist/ with tsc, then bundles the two modules that
// `sliceguard validate` starts from (the validation itself and the --jobs worker) into one file
// each, in place. Node's module loader spent some 60 ms resolving and linking the ninety modules
// of that graph one by one, in every run: a CI job on a few files took 145 ms, 85 ms with the
// bundle (docs/performance.md, seventh round). Everything else in dist/ stays one file per module,
// and dist/ without the bundling step still runs: the bundles only replace their entry modules.
//
//   node scripts/build.ts            what `npm run build` and `npm ci` (prepare) run
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** The source folders tsc compiles into dist/ (tsconfig.build.json `include`). */
const SOURCE_DIRS = ['policies', 'webhook', 'certs', 'cli'];

/**
 * Returns the sources whose built file in dist/ is missing or older than they are, and this script
 * when it is newer than the build (it decides what dist/ holds): the benchmark and the end-to-end
 * tests rebuild when this is not empty.
 */
export function staleSources(root = ROOT): string[] {
  const stale: string[] = [];
  const visit = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) {
        const built = join(root, 'dist', relative(root, path).replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) stale.push(relative(root, path));
      }
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(join(root, d))) visit(join(root, d));
  const script = join(root, 'scripts', 'build.ts');
  const entry = join(root, 'dist', 'cli', 'main.js');
  if (existsSync(script) && existsSync(entry) && statSync(entry).mtimeMs < statSync(script).mtimeMs) stale.push('scripts/build.ts');
  return stale;
}

/** The modules bundled in place, each with what it imports statically from dist/. */
export const BUNDLED = ['cli/commands/validate-run.js', 'cli/validate-worker.js'];

/**
 * Modules that stay files of their own, imported by the bundles as before: SliceguardError's,
 * which `main` recognises with instanceof, so there must be one class, not a copy per bundle;
 * and the young-generation cap, which `validate` arms before it loads the bundle that checks it.
 * Modules that use `import.meta` to find files beside them (`staysShared` reads each module for
 * it) and the targets of dynamic imports (`--fix` and its `yaml` package load only when asked
 * for) are kept so too.
 */
const SHARED = new Set(['policies/errors.js', 'cli/young-generation.js']);

/** Returns true when a dist/ module must stay a file of its own (see SHARED). */
export function staysShared(path: string): boolean {
  return SHARED.has(relative(DIST, path)) || readFileSync(path, 'utf8').includes('import.meta');
}

/** Bundles one dist/ module in place: its static imports from dist/ inlined, but those that stay shared. */
async function bundle(entryRel: string): Promise<void> {
  const entry = join(DIST, entryRel);
  // Loaded here: the tests and the benchmark import this module for `staleSources` alone.
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    logLevel: 'warning',
    plugins: [
      {
        name: 'sliceguard-shared-modules',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const path = resolve(args.resolveDir, args.path);
            if (args.kind !== 'dynamic-import' && (path === entry || !staysShared(path))) return undefined;
            // Imported as a file of its own, by its path relative to the bundle (which is where the entry was).
            const rel = relative(dirname(entry), path);
            return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
          });
        },
      },
    ],
  });
}

/**
 * Compiles dist/ with tsc, then bundles the BUNDLED modules in place. Returns false when tsc
 * reported errors: it still emits, and what it emitted is bundled too, so that dist/ is built the
 * same way whatever the types say (the benchmark measures such a build, and says so).
 */
export async function buildDist(): Promise<boolean> {
  let typesOk = true;
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  } catch {
    typesOk = false;
  }
  for (const entry of BUNDLED) await bundle(entry);
  return typesOk;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href && !(await buildDist())) process.exitCode = 1;
