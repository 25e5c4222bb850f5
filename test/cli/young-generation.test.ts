/**
 * Big `validate` runs keep V8's young generation small (cli/young-generation.ts) and validate on the
 * main thread: the flags are known to this Node and take effect, and the report is the one an
 * in-process run makes, with --jobs 1 and 2.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { BIG_RUN_BYTES, isBigRun, SEMI_SPACE_MB } from '../../cli/young-generation.ts';
import { runValidation } from '../../cli/commands/validate-run.ts';
import { parseValidateArgs } from '../../cli/commands/validate.ts';
import { CLI } from './built-cli.ts';
import { sliceguard, tempPath, useTempDir, write } from './process.ts';

/** Runs `validate argv` in this process (without the big-run flags) and captures the Io. */
async function inProcess(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { cwd: tempPath('.'), stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), readStdin: () => '', stdoutIsTTY: false, env: {} };
  const opts = parseValidateArgs(argv, io.cwd);
  if (opts === 'help') throw new Error('help');
  const code = await runValidation(opts, io);
  return { code, out, err };
}

const SLICE = (i: number, address: string) =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: api-${i}\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: api\n` +
  `addressType: IPv4\nports:\n  - name: http\n    port: 8080\nendpoints:\n  - addresses: ["${address}"]\n    conditions: {ready: true}\n`;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: grpc, port: 9000}\n';

/**
 * Printed at exit by a preloaded probe, on every thread (Node preloads it on workers too): the
 * thread (MAIN or WORKER), its young generation (new space, both semi-spaces) and old generation,
 * committed, in bytes.
 */
const PROBE = `data:text/javascript,${encodeURIComponent(
  "import v8 from 'node:v8'; import { isMainThread } from 'node:worker_threads';" +
    "process.on('exit', () => { const s = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, x.space_size]));" +
    " process.stderr.write((isMainThread ? 'MAIN ' : 'WORKER ') + JSON.stringify({ young: s.new_space, old: s.old_space }) + '\\n'); });",
)}`;

/** The probe's figures for each thread of the run's stderr: the main thread first. */
function probed(stderr: string): { main: { young: number; old: number }[]; workers: { young: number; old: number }[] } {
  const of = (who: string) => [...stderr.matchAll(new RegExp(`^${who} (.*)$`, 'gm'))].map((m) => JSON.parse(m[1]!) as { young: number; old: number });
  return { main: of('MAIN'), workers: of('WORKER') };
}

describe('big validate runs: a small young generation on the main thread', function () {
  this.timeout(120_000);
  useTempDir();

  it('takes inputs of BIG_RUN_BYTES or more, and input of unknown size (stdin, a pipe), for big runs', () => {
    expect(BIG_RUN_BYTES).to.equal(4 * 1024 * 1024);
    expect(isBigRun(0)).to.equal(false);
    expect(isBigRun(BIG_RUN_BYTES - 1)).to.equal(false);
    expect(isBigRun(BIG_RUN_BYTES)).to.equal(true);
    expect(isBigRun(undefined)).to.equal(true);
  });

  /** Writes big/1.yaml and big/2.yaml, over 4 MiB in all, and returns their documents less the last. */
  function writeBigInput(): string[] {
    const docs: string[] = [SERVICE];
    for (let i = 0; ; i++) {
      docs.push(SLICE(i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`));
      if (i % 1000 === 999 && docs.join('---\n').length > BIG_RUN_BYTES + 100_000) break;
    }
    // Two files (the second repeats addresses of the first: cross-slice findings across files).
    const half = Math.floor(docs.length / 2);
    write('big/1.yaml', docs.slice(0, half).join('---\n'));
    write('big/2.yaml', [...docs.slice(half), SLICE(999_999, '10.0.0.7')].join('---\n'));
    return docs;
  }

  it('gives the report an in-process run makes, byte for byte, with --jobs 1 and 2', async () => {
    const docs = writeBigInput();
    const here = await inProcess(['--format', 'json', '--jobs', '1', 'big']);
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

  it('validates a big input on the main thread with its young generation stopped at SEMI_SPACE_MB semi-spaces', () => {
    writeBigInput();
    // The flag must exist in this Node's V8: setFlagsFromString ignores names it does not know,
    // the command line refuses them.
    const known = spawnSync(process.execPath, ['--semi-space-growth-factor=1', '-e', '0'], { encoding: 'utf8' });
    expect(known.status, known.stderr).to.equal(0);
    const probe = (args: string[], stdin?: string) => {
      const r = spawnSync(process.execPath, ['--import', PROBE, CLI, 'validate', '--format', 'json', '--jobs', '1', ...args], {
        cwd: tempPath('.'),
        input: stdin ?? '',
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      // 1 with the Service (a port of it that no slice carries), 0 without.
      expect(r.status, r.stderr).to.be.oneOf([0, 1]);
      expect(r.stdout, r.stderr).to.include('"endpointSlices":');
      const { main, workers } = probed(r.stderr);
      expect(main, r.stderr).to.have.length(1);
      expect(workers, r.stderr).to.have.length(0);
      return main[0]!;
    };
    const MB = 1024 * 1024;
    const files = probe(['big']);
    // The run's data is on the main thread (tens of MB; a thread's relay had under 4 MB)...
    expect(files.old, JSON.stringify(files)).to.be.above(12 * MB);
    // ...and its young generation stopped growing (V8's default grows it to 64 MB here, and to 128 MB
    // on the benchmark's corpus).
    expect(SEMI_SPACE_MB).to.equal(4);
    expect(files.young, JSON.stringify(files)).to.be.at.most(2 * SEMI_SPACE_MB * MB);
    // Input from a pipe is of unknown size, so a big run too.
    const piped = probe(['-'], [SERVICE, ...Array.from({ length: 30_000 }, (_, i) => SLICE(i, `10.1.${(i >> 8) & 255}.${i & 255}`))].join('---\n'));
    expect(piped.old, JSON.stringify(piped)).to.be.above(12 * MB);
    expect(piped.young, JSON.stringify(piped)).to.be.at.most(2 * SEMI_SPACE_MB * MB);
    // One document of 20,000 items (a `kubectl get -o yaml` dump) is parsed and checked with no
    // check in between: capped before it is read.
    const items = Array.from({ length: 20_000 }, (_, i) => `${SLICE(i, `10.2.${(i >> 8) & 255}.${i & 255}`).trimEnd().replace(/^/gm, '    ').replace(/^    /, '  - ')}\n`);
    const list = probe(['-'], `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`);
    expect(list.old, JSON.stringify(list)).to.be.above(12 * MB);
    expect(list.young, JSON.stringify(list)).to.be.at.most(2 * SEMI_SPACE_MB * MB);
  });

  it('lets --jobs 2 workers grow their young generation to its cap before the main thread stops growth', () => {
    // Two files of 8,000 Services and slices: each thread's Service pass keeps thousands of Services.
    const SVC = (i: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: api-${i}, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n`;
    for (const f of [0, 1]) {
      const docs: string[] = [];
      for (let i = f * 8000; i < (f + 1) * 8000; i++) docs.push(SVC(i), SLICE(i, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`).replace('service-name: api', `service-name: api-${i}`));
      write(`services/${f}.yaml`, docs.join('---\n'));
    }
    const r = spawnSync(process.execPath, ['--import', PROBE, CLI, 'validate', '--format', 'json', '--jobs', '2', 'services'], {
      cwd: tempPath('.'),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    expect(r.stdout, r.stderr).to.include('"endpointSlices":16000');
    const { workers } = probed(r.stderr);
    expect(workers, r.stderr).to.have.length(1);
    // Node's resourceLimits stops the worker at SEMI_SPACE_MB; capping as soon as the main thread got
    // there had stopped it at 1 or 2 MB.
    expect(workers[0]!.young, r.stderr).to.equal(2 * SEMI_SPACE_MB * 1024 * 1024);
  });

  it('runs big inputs without allocation-site pretenuring (V8 makes no tenure decision), with --jobs 1 and 2', () => {
    writeBigInput();
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
