/**
 * Big `validate` runs on a thread with a capped young generation (cli/validate-thread.ts): the
 * same output, errors and exit code as on the main thread, byte for byte.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { runsOnThread, THREAD_MIN_BYTES, validateOnThread } from '../../cli/validate-thread.ts';
import { runValidation } from '../../cli/commands/validate-run.ts';
import { parseValidateArgs } from '../../cli/commands/validate.ts';
import { CLI } from './built-cli.ts';
import { sliceguard, tempPath, useTempDir, write } from './process.ts';

/** Runs `validate argv` with `how` and captures the Io. */
async function capture(how: 'thread' | 'here', argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { cwd: tempPath('.'), stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readStdin: () => '', stdoutIsTTY: false, env: {} };
  let code: number;
  if (how === 'thread') code = await validateOnThread(argv, io);
  else {
    const opts = parseValidateArgs(argv, io.cwd);
    if (opts === 'help') throw new Error('help');
    code = await runValidation(opts, io);
  }
  return { code, out, err };
}

const SLICE = (i: number, address: string) =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: api-${i}\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: api\n` +
  `addressType: IPv4\nports:\n  - name: http\n    port: 8080\nendpoints:\n  - addresses: ["${address}"]\n    conditions: {ready: true}\n`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: grpc, port: 9000}\n';

describe('validate on a thread with a capped young generation', function () {
  this.timeout(120_000);
  useTempDir();

  it('goes to a thread from the main thread only, and only for inputs of THREAD_MIN_BYTES or more', () => {
    expect(THREAD_MIN_BYTES).to.equal(4 * 1024 * 1024);
    expect(runsOnThread(0, true)).to.equal(false);
    expect(runsOnThread(THREAD_MIN_BYTES - 1, true)).to.equal(false);
    expect(runsOnThread(THREAD_MIN_BYTES, true)).to.equal(true);
    expect(runsOnThread(THREAD_MIN_BYTES * 10, false)).to.equal(false);
  });

  it('gives what the main thread gives: findings, a syntax error, a text-encoding note, in every format', async () => {
    write('a.yaml', [SLICE(1, '10.0.0.1'), SLICE(2, '10.0.0.1'), 'kind: EndpointSlice\nmetadata: {name: broken\n'].join('---\n'));
    write('b.yaml', SERVICE);
    // UTF-16: the CLI says on stderr how it read the file.
    writeFileSync(tempPath('c.yaml'), Buffer.from(`\uFEFF${SLICE(3, '300.0.0.1')}`, 'utf16le'));
    for (const format of ['json', 'text', 'sarif', 'junit', 'github']) {
      const here = await capture('here', ['--format', format, '.']);
      expect(here.code, format).to.equal(1);
      expect(here.err, format).to.include('c.yaml: UTF-16LE text');
      expect(await capture('thread', ['--format', format, '.']), format).to.deep.equal(here);
    }
  });

  it('ends with the same one-line error and exit code 2 when the run fails', async () => {
    write('policy.yaml', 'apiVersion: sliceguard.dev/v1alpha1\nkind: Policy\nrules: {no-such-rule: {severity: deny}}\n');
    write('a.yaml', SLICE(1, '10.0.0.1'));
    for (const argv of [['missing.yaml'], ['--policy', 'policy.yaml', 'a.yaml'], ['--kube-version', '1.20', 'a.yaml']]) {
      const here = await capture('here', argv).catch((err: Error) => ({ code: 2, out: '', err: err.message }));
      const thread = await capture('thread', argv);
      expect(thread.code, argv.join(' ')).to.equal(2);
      expect(thread.out).to.equal('');
      expect(thread.err, argv.join(' ')).to.match(/^sliceguard: .*\[SG_[A-Z_]+\]\n$/);
      expect(thread.err).to.include(here.err);
    }
  });

  /** Writes big/1.yaml and big/2.yaml, over 4 MiB in all, and returns their documents less the last. */
  function writeBigInput(): string[] {
    const docs: string[] = [SERVICE];
    for (let i = 0; ; i++) {
      docs.push(SLICE(i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
      if (i % 1000 === 999 && docs.join('---\n').length > THREAD_MIN_BYTES + 100_000) break;
    }
    // Two files (the second repeats addresses of the first: cross-slice findings across files).
    const half = Math.floor(docs.length / 2);
    write('big/1.yaml', docs.slice(0, half).join('---\n'));
    write('big/2.yaml', [...docs.slice(half), SLICE(999_999, '10.0.0.7')].join('---\n'));
    return docs;
  }

  it('runs a big input (over 4 MiB) through the built CLI with the report the main thread makes', async () => {
    const docs = writeBigInput();
    const here = await capture('here', ['--format', 'json', '--jobs', '1', 'big']);
    const cli = sliceguard(['validate', '--format', 'json', '--jobs', '1', 'big']);
    expect(cli.err).to.equal('');
    expect(cli.code).to.equal(here.code);
    expect(cli.out === here.out, 'the same report byte for byte').to.equal(true);
    const report = JSON.parse(cli.out) as { summary: { endpointSlices: number }; results: { name: string; violations: { rule: string; message: string }[] }[] };
    expect(report.summary.endpointSlices).to.equal(docs.length);
    const last = report.results[report.results.length - 1];
    expect(last.name).to.equal('api-999999');
    expect(last.violations.map((v) => `${v.rule}: ${v.message}`)).to.include('duplicate-address: Address "10.0.0.7" for port "http"/TCP is also in slice "api-7" of the same Service.');
    const two = sliceguard(['validate', '--format', 'json', '--jobs', '2', 'big']);
    expect(two.out === here.out, '--jobs 2: the same report byte for byte').to.equal(true);
  });

  it('runs the validation threads without allocation-site pretenuring (V8 makes no tenure decision), with --jobs 1 and 2', () => {
    writeBigInput();
    // The flag must exist in this Node's V8: setFlagsFromString ignores names it does not know,
    // the command line refuses them.
    const known = spawnSync(process.execPath, ['--no-allocation-site-pretenuring', '-e', '0'], { encoding: 'utf8' });
    expect(known.status, known.stderr).to.equal(0);
    for (const jobs of ['1', '2']) {
      // V8 prints its pretenuring decisions itself, on the process's standard output.
      const r = spawnSync(process.execPath, ['--trace-pretenuring', '--trace-pretenuring-statistics', CLI, 'validate', '--format', 'json', '--jobs', jobs, 'big'], {
        cwd: tempPath('.'),
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      expect(r.status, r.stderr).to.equal(1);
      expect(r.stdout, `--jobs ${jobs}`).to.include('"endpointSlices":');
      expect(r.stdout.match(/^.*pretenuring:.*=> tenure$/gm) ?? [], `--jobs ${jobs}`).to.deep.equal([]);
    }
  });
});
