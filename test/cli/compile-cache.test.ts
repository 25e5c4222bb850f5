/**
 * The CLI turns on Node's on-disk compile cache (cli/main.ts): a run fills the directory it is
 * given, the next run gives the same output from it, and a directory that cannot be made changes
 * nothing (no message, the same output and exit code).
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { CLI } from './built-cli.ts';
import { tempPath, useTempDir, write } from './process.ts';

const SLICE = 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: api, namespace: shop, labels: {kubernetes.io/service-name: api}}\naddressType: IPv4\nendpoints:\n  - addresses: ["10.0.0.01"]\n';

function run(env: Record<string, string>): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, 'validate', '--format', 'json', 'a.yaml'], {
    cwd: tempPath('.'),
    encoding: 'utf8',
    env: { ...withoutCacheSettings(process.env), ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The environment less Node's compile-cache variables (NODE_DISABLE_COMPILE_CACHE turns it off when set at all). */
function withoutCacheSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_COMPILE_CACHE: _dir, NODE_DISABLE_COMPILE_CACHE: _off, ...rest } = env;
  return rest;
}

describe('validate: the compile cache', function () {
  this.timeout(60_000);
  useTempDir();

  it('fills the cache directory, reads it on the next run, and never changes a result', () => {
    write('a.yaml', SLICE);
    const without = run({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(without.code).to.equal(1);
    expect(without.out).to.include('"rule":"ip-address"');
    // The default place: node-compile-cache in the temporary directory (TMPDIR here).
    const tmp = tempPath('tmp');
    write('tmp/.keep', '');
    const dir = `${tmp}/node-compile-cache`;
    const first = run({ TMPDIR: tmp });
    expect(first).to.deep.equal(without);
    // One directory per Node version, holding the compiled modules.
    const entries = readdirSync(dir).flatMap((v) => readdirSync(`${dir}/${v}`));
    expect(entries.length).to.be.greaterThan(5);
    expect(run({ TMPDIR: tmp })).to.deep.equal(without);
    // A cache directory that cannot be made (a path under a file): no message, the same result.
    write('file', 'x');
    expect(run({ TMPDIR: tempPath('file') })).to.deep.equal(without);
    expect(run({ NODE_COMPILE_CACHE: tempPath('file/cache') })).to.deep.equal(without);
  });
});
