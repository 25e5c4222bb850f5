// Docker cannot build here (no engine: `docker version` finds no daemon), so the Dockerfile is
// checked statically: its instructions, that every COPY source exists and survives
// .dockerignore, that the build compiles what the runtime starts, and that the runtime stage is
// non-root, needs no shell, and has only production dependencies.
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import yaml from 'js-yaml';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string | undefined;
  base: string;
  instructions: Instruction[];
}

/** Returns the Dockerfile's stages: instructions with line continuations joined, comments dropped. */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    expect(op, line).to.match(/^[A-Z]+$/);
    if (op === 'FROM') {
      const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ name, base: base.replace(/^\$\{(\w+)\}$/, (_, v: string) => args.get(v) ?? ''), instructions: [] });
    } else if (op === 'ARG' && stages.length === 0) {
      const [name, value] = rest.split('=');
      args.set(name, value ?? '');
    } else {
      stages[stages.length - 1].instructions.push({ op, args: rest });
    }
  }
  return { args, stages };
}

/** Whether .dockerignore keeps `path` in the build context (last matching rule wins, parents count). */
function inContext(path: string, rules: string[]): boolean {
  let kept = true;
  const parts = path.split('/');
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const pattern = rule.replace(/^!/, '').replace(/\/$/, '');
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
    if (parts.some((_, i) => regex.test(parts.slice(0, i + 1).join('/')))) kept = negated;
  }
  return kept;
}

const { stages } = parseDockerfile(read('Dockerfile'));
const dockerignore = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
const final = stages[stages.length - 1];
const copies = (stage: Stage) => stage.instructions.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/));

describe('Dockerfile (static: no Docker engine here)', () => {
  it('builds in stages from Node.js 24', () => {
    expect(stages.map((s) => s.name)).to.deep.equal(['build', 'deps', undefined]);
    for (const stage of stages) expect(stage.base).to.match(/^node:24(-|$)/);
  });

  it('copies only sources that exist and that .dockerignore keeps', () => {
    for (const stage of stages) {
      for (const parts of copies(stage).filter((p) => !p[0].startsWith('--from='))) {
        for (const source of parts.slice(0, -1)) {
          expect(existsSync(join(ROOT, source)), `${source} exists`).to.equal(true);
          expect(inContext(source, dockerignore), `${source} is in the build context`).to.equal(true);
        }
      }
    }
    expect(inContext('node_modules/x', dockerignore)).to.equal(false);
    expect(inContext('test/chart/render.ts', dockerignore)).to.equal(false);
    expect(inContext('policies/rules/index.ts', dockerignore)).to.equal(true);
  });

  it('compiles everything tsconfig.build.json includes, into the dist/ the runtime copies', () => {
    const build = stages[0];
    const copied = copies(build).flatMap((p) => p.slice(0, -1));
    const config = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const base = JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string } };
    for (const dir of config.include) expect(copied, dir).to.include(dir);
    // The build is `npm run build`'s: tsc, then the bundles (scripts/build.ts), copied into the stage first.
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).to.equal('node scripts/build.ts');
    expect(copies(build)).to.deep.include(['scripts/build.ts', './scripts/build.ts']);
    expect(inContext('scripts/build.ts', dockerignore)).to.equal(true);
    expect(build.instructions.some((i) => i.op === 'RUN' && i.args === 'node scripts/build.ts')).to.equal(true);
    expect(base.compilerOptions.outDir).to.equal('dist');
    expect(copies(final)).to.deep.include(['--from=build', '/src/dist', './dist']);
  });

  it('runs `node dist/cli/main.js` (the package\'s bin) in exec form, as a numeric non-root user, with no RUN', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>; dependencies: Record<string, string> };
    const entrypoint = final.instructions.find((i) => i.op === 'ENTRYPOINT');
    expect(JSON.parse(entrypoint?.args ?? 'null')).to.deep.equal(['node', pkg.bin.sliceguard]);
    expect(existsSync(join(ROOT, pkg.bin.sliceguard.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).to.equal(true);
    const user = final.instructions.find((i) => i.op === 'USER')?.args ?? '';
    expect(user).to.match(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(final.instructions.filter((i) => i.op === 'RUN')).to.deep.equal([]);
    const chartUser = (yaml.load(read('charts/sliceguard/values.yaml')) as { podSecurityContext: { runAsUser: number } }).podSecurityContext.runAsUser;
    expect(user.split(':')[0]).to.equal(String(chartUser));
  });

  it('ships production dependencies only, and the runtime code imports nothing else', () => {
    const deps = stages.find((s) => s.name === 'deps') as Stage;
    expect(deps.instructions.some((i) => i.op === 'RUN' && /npm ci --omit=dev/.test(i.args))).to.equal(true);
    expect(copies(final)).to.deep.include(['--from=deps', '/app/node_modules', './node_modules']);
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const config = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const outside: string[] = [];
    for (const dir of config.include) {
      for (const file of sourceFiles(join(ROOT, dir))) {
        for (const specifier of runtimeImports(readFileSync(file, 'utf8'))) {
          const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
          const builtin = specifier.startsWith('node:') || builtinModules.includes(name);
          if (!builtin && !(name in pkg.dependencies)) outside.push(`${file.slice(ROOT.length + 1)}: ${specifier}`);
        }
      }
    }
    expect(outside, 'runtime imports of packages that are not production dependencies').to.deep.equal([]);
  });
});

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Bare module specifiers that survive compilation (type-only imports are erased). */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
    if (!m[2]) found.push(m[3]);
  }
  for (const m of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push(m[1]);
  return found.filter((s) => !s.startsWith('.'));
}
