/**
 * The shape of the code (STYLE.md): imports point inward. `policies/` is the pure core and imports
 * nothing of the doors, no module that does I/O, and uses no clock, randomness or `process`;
 * `webhook/` uses only `policies/`; `certs/` stands alone but for `policies/errors.ts`. And
 * `sliceguard validate`, which runs in every CI job, never loads the webhook's or the cluster
 * client's packages. Every failure names the file, the line and the forbidden edge.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, ensureBuilt } from './cli/built-cli.ts';
import { sourceProblems } from './helpers/imports.ts';

const ROOT = new URL('..', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('architecture: imports point inward', () => {
  const files = ['policies', 'webhook', 'certs', 'cli'].flatMap(sourceFiles);

  it('finds the source files it checks', () => {
    expect(files).to.include.members(['policies/engine.ts', 'policies/rules/index.ts', 'cli/main.ts']);
  });

  it('has no forbidden import, and no clock, randomness or process in policies/', () => {
    const problems = files.flatMap((file) => sourceProblems(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(problems, `\n${problems.join('\n')}\n`).to.deep.equal([]);
  });

  describe('the checker itself', () => {
    const check = (file: string, text: string) => sourceProblems(file, text);

    it('names a policies/ import of a door, static, type-only, dynamic or re-exported', () => {
      expect(check('policies/engine.ts', "import { x } from '../cli/report.ts';\n")).to.deep.equal([
        'policies/engine.ts:1 imports ../cli/report.ts (cli/report.ts): policies/ must not depend on cli/; the core imports nothing of the doors',
      ]);
      expect(check('policies/rules/a.ts', "import type { T } from '../../webhook/review.ts';")).to.have.length(1);
      expect(check('policies/a.ts', "export { y } from '../certs/pem.ts';")[0]).to.match(/must not depend on certs\//);
      expect(check('policies/a.ts', "async function f() { return import('../webhook/review.ts'); }")[0]).to.match(/^policies\/a\.ts:1 imports \.\.\/webhook\/review\.ts/);
      expect(check('policies/a.ts', "import { a } from './pointer.ts';\nimport { b } from './rules/index.ts';")).to.deep.equal([]);
    });

    it('names node: modules and packages that policies/ may not use', () => {
      expect(check('policies/a.ts', "import { readFileSync } from 'node:fs';")).to.deep.equal([
        'policies/a.ts:1 imports node:fs: policies/ must stay pure (no file system, network, clock or process); do the I/O in cli/ or webhook/ and pass the result in',
      ]);
      expect(check('policies/a.ts', "import fs from 'fs';")[0]).to.match(/imports fs: policies\/ must stay pure/);
      expect(check('policies/a.ts', "import { isIP } from 'node:net';")).to.have.length(1);
      expect(check('policies/a.ts', "import express from 'express';")[0]).to.match(/imports express: policies\/ may use only the packages ajv, ajv-formats, js-yaml/);
      expect(check('policies/a.ts', "const m = createRequire(import.meta.url)('prom-client');")[0]).to.match(/imports prom-client/);
      expect(check('policies/a.ts', "import yaml from 'js-yaml';\nimport { createRequire } from 'node:module';\nconst A = createRequire(import.meta.url)('ajv');")).to.deep.equal([]);
    });

    it('names the clock, randomness and process in policies/, but not look-alikes', () => {
      const bad = ['const t = Date.now();', 'const d = new Date();', 'const s = Date();', 'const r = Math.random();', 'const e = process.env.X;', 'const p = globalThis.process;', 'setTimeout(f, 1);', 'const n = performance.now();', "fetch('x');", 'const u = crypto.randomUUID();'];
      for (const line of bad) expect(check('policies/a.ts', line), line).to.have.length(1);
      expect(check('policies/a.ts', 'const t = Date.now();')[0]).to.equal('policies/a.ts:1 uses Date.now: evaluate is pure (no file system, network, clock, randomness or process)');
      const fine = ['const d = new Date(0);', "const m = 'the process exits';", 'const v = obj.process;', 'const o = { process: 1 };', '// Date.now() in a comment', 'type T = { now: number };'];
      for (const line of fine) expect(check('policies/a.ts', line), line).to.deep.equal([]);
      // The doors may use them.
      expect(check('cli/a.ts', 'const e = process.env.X; const t = Date.now();')).to.deep.equal([]);
    });

    it('lets webhook/ use policies/ only, and certs/ only policies/errors.ts', () => {
      expect(check('webhook/a.ts', "import { evaluate } from '../policies/engine.ts';\nimport { x } from './review.ts';")).to.deep.equal([]);
      expect(check('webhook/a.ts', "import { y } from '../cli/io.ts';")).to.deep.equal(['webhook/a.ts:1 imports ../cli/io.ts (cli/io.ts): webhook/ may use only webhook/ and policies/']);
      expect(check('webhook/a.ts', "import { z } from '../certs/pem.ts';")).to.have.length(1);
      expect(check('certs/a.ts', "import { SliceguardError } from '../policies/errors.ts';\nimport { p } from './pem.ts';")).to.deep.equal([]);
      expect(check('certs/a.ts', "import { evaluate } from '../policies/engine.ts';")).to.deep.equal([
        'certs/a.ts:1 imports ../policies/engine.ts (policies/engine.ts): certs/ may use only certs/ and policies/errors.ts',
      ]);
      expect(check('cli/a.ts', "import { h } from '../test/helpers/fixtures.ts';")[0]).to.match(/must not depend on test\//);
    });
  });
});

// Records every module URL that the process resolves (ESM imports and CommonJS requires alike)
// and writes them to the file named by SLICEGUARD_MODULE_LOG when the process exits.
const HOOK = `import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.add(r.url); return r; } });
process.on('exit', () => writeFileSync(process.env.SLICEGUARD_MODULE_LOG, [...seen].join('\\n')));
`;

const HEAVY = ['express', '@kubernetes/client-node', 'pino', 'prom-client', 'node-forge'];

describe('architecture: validate loads no webhook or cluster packages', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!('registerHooks' in nodeModule)) {
      console.log(`      pending: module.registerHooks needs Node 22.15 or later (this is ${process.version})`);
      this.skip();
    }
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-modules-'));
    writeFileSync(join(dir, 'hook.mjs'), HOOK);
    writeFileSync(join(dir, 'slices.yaml'), 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: a, labels: {kubernetes.io/service-name: svc}}\naddressType: IPv4\nendpoints: [{addresses: ["10.0.0.1", "010.0.0.2"]}]\n---\n{broken\n');
    writeFileSync(join(dir, 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: svc}\nspec: {ports: [{port: 80}]}\n');
    writeFileSync(join(dir, 'policy.yaml'), 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules:\n  max-endpoints:\n    options: {max: 10}\n');
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** Returns the packages (by node_modules name) that a run resolved. */
  function packagesLoaded(args: string[], stdin = ''): string[] {
    const log = join(dir, 'modules.txt');
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'hook.mjs')).href, ...args], {
      cwd: dir, input: stdin, encoding: 'utf8', env: { ...process.env, SLICEGUARD_MODULE_LOG: log },
    });
    // The run did its job (0 or 1), so the modules of a whole run were recorded.
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).to.be.oneOf([0, 1]);
    const urls = readFileSync(log, 'utf8').split('\n');
    const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n): n is string => n !== undefined);
    return [...new Set(names)].sort();
  }

  it('notices a package when one is loaded (the hook works)', () => {
    const loaded = packagesLoaded(['--input-type=module', '-e', `await import(${JSON.stringify(join(ROOT, 'node_modules/express/index.js'))})`]);
    expect(loaded).to.include('express');
  });

  const runs: [string, string[], string?][] = [
    ['text', ['validate', 'slices.yaml', 'svc.yaml']],
    ['json with a policy file', ['validate', '--format', 'json', '--policy', 'policy.yaml', 'slices.yaml']],
    ['sarif', ['validate', '--format', 'sarif', 'slices.yaml']],
    ['junit', ['validate', '--format', 'junit', 'slices.yaml']],
    ['github with --services', ['validate', '--format', 'github', '--services', 'svc.yaml', 'slices.yaml']],
    ['--fix-dry-run', ['validate', '--fix-dry-run', 'slices.yaml']],
    ['stdin', ['validate', '-'], 'kind: ConfigMap\napiVersion: v1\nmetadata: {name: c}\n'],
    ['rules', ['rules', '--format', 'json']],
  ];
  for (const [name, args, stdin] of runs) {
    it(`sliceguard ${args[0]} (${name}) loads none of ${HEAVY.join(', ')}`, () => {
      const loaded = packagesLoaded([CLI, ...args], stdin);
      if (args[0] === 'validate') expect(loaded, 'the run itself was recorded').to.include('js-yaml');
      expect(loaded.filter((p) => HEAVY.includes(p)), `loaded: ${loaded.join(', ')}`).to.deep.equal([]);
    });
  }
});
