/**
 * The build (scripts/build.ts) bundles the modules `sliceguard validate` starts from. A bundle
 * must import from dist/ only the modules that have to stay files of their own (one
 * SliceguardError class; modules that find files with import.meta.url; dynamic imports that stay
 * lazy), each of which must exist, and must not pull a webhook or cluster-client package in.
 */
import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { BUNDLED, staysShared } from '../scripts/build.ts';
import { ensureBuilt } from './cli/built-cli.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');

/** Returns the import specifiers of an ES module's text: static imports and re-exports, and dynamic imports. */
function importsOf(text: string): { statics: string[]; dynamics: string[] } {
  const statics = [
    ...[...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)";/gms)].map((m) => m[1]),
    ...[...text.matchAll(/^import\s+"([^"]+)";/gm)].map((m) => m[1]),
  ];
  const dynamics = [...text.matchAll(/\bimport\("([^"]+)"\)/g)].map((m) => m[1]);
  return { statics, dynamics };
}

describe('build: the validate path is bundled', () => {
  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });

  for (const entry of BUNDLED) {
    it(`${entry} inlines its graph and imports from dist/ only what must stay shared`, () => {
      const file = join(DIST, entry);
      const text = readFileSync(file, 'utf8');
      const { statics, dynamics } = importsOf(text);
      // What a module finds with import.meta.url is beside it: none may be inlined.
      expect(text).to.not.include('import.meta');
      const local = statics.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
      // Before bundling this entry imported dozens of modules from dist/; now only the shared ones.
      expect(local.length).to.be.greaterThan(0);
      for (const path of local) {
        expect(existsSync(path), relative(DIST, path)).to.equal(true);
        expect(staysShared(path), relative(DIST, path)).to.equal(true);
      }
      expect(new Set(local.map((p) => relative(DIST, p)))).to.include('policies/errors.js');
      expect(local.map((p) => relative(DIST, p))).to.not.include('policies/engine.js');
      for (const d of dynamics) expect(existsSync(resolve(dirname(file), d)), d).to.equal(true);
      const packages = statics.filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
      expect(packages.every((p) => ['js-yaml'].includes(p)), packages.join(', ')).to.equal(true);
    });
  }
});
