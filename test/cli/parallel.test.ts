/** `validate --jobs`: the parallel run gives the same report as one thread, byte for byte. */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoThreads, splitBySize, threadsFor, PARALLEL_MIN_BYTES, validateFilesParallel } from '../../cli/parallel.ts';
import { Sources } from '../../cli/sources.ts';
import { collectServices } from '../../cli/service-pass.ts';
import { createPolicy } from '../../policies/policy.ts';
import type { InputFile } from '../../cli/inputs.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { runInProcess, sliceguard, useTempDir, write } from './process.ts';

let dir: string;
function put(name: string, text: string): void {
  mkdirSync(join(dir, name, '..'), { recursive: true });
  writeFileSync(join(dir, name), text);
}
const run = (...args: string[]): ReturnType<typeof runInProcess> => runInProcess(dir, ['validate', ...args]);

const SERVICE = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  ports:\n    - {name: http, port: 80}\n    - {name: metrics, port: 9100}\n`;
const SLICE = (name: string, service: string, addresses: string[], extra = '') =>
  `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ${name}\n  namespace: shop\n${extra}  labels:\n    kubernetes.io/service-name: ${service}\n` +
  `    endpointslice.kubernetes.io/managed-by: team\naddressType: IPv4\nports: [{name: http, port: 8080}]\nendpoints:\n` +
  addresses.map((a) => `  - addresses: ["${a}"]\n`).join('');

/** Eight files whose findings need every part of the join: Services in the last group, duplicates across groups, errors. */
function writeCorpus(): void {
  put('01-a.yaml', [SLICE('api-1', 'api', ['10.0.0.1', '10.0.0.2']), SLICE('web-1', 'web', ['10.1.0.1'])].join('---\n'));
  put('02-b.yaml', SLICE('api-2', 'api', ['10.0.0.3', '10.0.0.02'], '  uid: 0b0e7a52-5c52-4d5e-9c1a-2f6b0f9d6a11\n'));
  put('03-c.yaml', 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: broken\n');
  put('04-d.yaml', SLICE('api-3', 'api', ['10.0.0.1', '300.0.0.1']));
  put('05-e.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-2', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.0.1'] }], ports: [{ name: 'http' }] }] }, null, 2));
  put('06-f.yaml', SLICE('web-3', 'web', ['10.1.0.9']) + '---\n# only a comment\n');
  put('07-g.yaml', SLICE('api-4', 'api', ['10.0.0.2']));
  put('08-h.yaml', [SERVICE('api'), SERVICE('web')].join('---\n'));
}

describe('validate --jobs (parallel)', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-parallel-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['json', 'text', 'sarif']) {
    it(`gives the one-thread report byte for byte on 2, 3 and 8 threads (${format})`, async () => {
      writeCorpus();
      const one = await run('--format', format, '--jobs', '1', '.');
      expect(one.code).to.equal(1);
      for (const jobs of ['2', '3', '8']) {
        const many = await run('--format', format, '--jobs', jobs, '.');
        expect(many, `--jobs ${jobs}`).to.deep.equal(one);
      }
    });
  }

  it('finds the cross-slice problems whose slices and Services are in different threads', async () => {
    writeCorpus();
    const r = await run('--format', 'json', '--jobs', '3', '.');
    const results = JSON.parse(r.out).results as { file: string; name: string; violations: { rule: string; message: string; line: number }[] }[];
    const cross = results.flatMap((x) => x.violations.filter((v) => /also in slice|No slice of Service/.test(v.message)).map((v) => `${x.file}:${v.line} ${x.name} ${v.rule}`));
    // api-2, api-3 and api-4 repeat addresses of api-1 (010.0.0.02 is 10.0.0.2), web-2 one of web-1;
    // no slice of api or web has port metrics, and the Services are in the last file.
    expect(cross).to.deep.equal([
      '01-a.yaml:10 api-1 port-name-mismatch',
      '01-a.yaml:24 web-1 port-name-mismatch',
      '02-b.yaml:14 api-2 duplicate-address',
      '02-b.yaml:11 api-2 port-name-mismatch',
      '04-d.yaml:12 api-3 duplicate-address',
      '04-d.yaml:10 api-3 port-name-mismatch',
      '05-e.json:19 web-2 duplicate-address',
      '05-e.json:23 web-2 port-name-mismatch',
      '06-f.yaml:10 web-3 port-name-mismatch',
      '07-g.yaml:12 api-4 duplicate-address',
      '07-g.yaml:10 api-4 port-name-mismatch',
    ]);
  });

  it('refuses a --jobs that is not a number of threads', async () => {
    put('a.yaml', SLICE('a', 'api', ['10.0.0.1']));
    for (const bad of ['0', '1000', 'many', '1.5', '']) {
      const r = await run('--jobs', bad, 'a.yaml');
      expect(r.code, bad).to.equal(2);
      expect(r.err, bad).to.match(/--jobs .*expected a number of threads from 1 to 999, or auto \[SG_USAGE\]/);
    }
  });

  for (const [where, names] of [
    ['a worker', ['01-a.yaml', '02-b.yaml', 'gone.yaml', '04-d.yaml']],
    ['the main thread', ['gone.yaml', '01-a.yaml', '02-b.yaml', '04-d.yaml']],
    ['both (the first in input order wins)', ['01-a.yaml', 'gone.yaml', '02-b.yaml', 'gone-too.yaml']],
  ] as const) {
    it(`ends the run with the error of a file that ${where} cannot read, as one thread does`, async () => {
      writeCorpus();
      const files: InputFile[] = names.map((f) => ({ display: f, path: join(dir, f), json: false }));
      const opts = { kubeVersion: '1.37' as const, namespace: 'default', services: [], strict: false, cwd: dir, stderr: () => {} };
      let caught: unknown;
      try {
        await validateFilesParallel(new Sources(files, { cwd: dir, stdout() {}, stderr() {}, readStdin: () => '', stdoutIsTTY: false, env: {} }), createPolicy(), opts, 2);
      } catch (err) {
        caught = err;
      }
      expect(caught).to.be.instanceOf(SliceguardError);
      expect((caught as SliceguardError).code).to.equal('SG_INPUT_UNREADABLE');
      expect((caught as SliceguardError).message).to.match(/^gone\.yaml: /);
    });
  }

  it('says the notes of a worker\'s files read before the one it cannot read, then the error, as one thread does', async () => {
    put('a.yaml', SLICE('a', 'api', ['10.0.0.1']).repeat(1) + '#' + 'x'.repeat(20_000) + '\n');
    writeFileSync(join(dir, 'b.yaml'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + SLICE('b', 'api', ['10.0.0.2']))]));
    const files: InputFile[] = ['a.yaml', 'b.yaml', 'gone.yaml'].map((f) => ({ display: f, path: join(dir, f), json: false }));
    expect(splitBySize(files, 2)).to.deep.equal([[0], [1, 2]]); // b and gone in the worker's group
    const said = async (threads: number): Promise<string[]> => {
      const lines: string[] = [];
      const io = { cwd: dir, stdout() {}, stderr: (t: string) => void lines.push(t), readStdin: () => '', stdoutIsTTY: false, env: {} };
      const opts = { kubeVersion: '1.37' as const, namespace: 'default', services: [], strict: false, cwd: dir, stderr: io.stderr };
      try {
        if (threads === 1) collectServices(new Sources(files, io), opts);
        else await validateFilesParallel(new Sources(files, io), createPolicy(), opts, threads);
      } catch (err) {
        lines.push(`${(err as SliceguardError).code}: ${(err as Error).message}`);
      }
      return lines;
    };
    const one = await said(1);
    expect(one).to.have.length(2);
    expect(one[0]).to.match(/b\.yaml: not valid UTF-8/);
    expect(one[1]).to.match(/^SG_INPUT_UNREADABLE: gone\.yaml: /);
    expect(await said(2)).to.deep.equal(one);
  });

  it('says each text-encoding note once, in file order, as one thread does', async () => {
    writeCorpus();
    writeFileSync(join(dir, '02-b.yaml'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + SLICE('api-2', 'api', ['10.0.0.3']))]));
    writeFileSync(join(dir, '07-g.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SLICE('api-4', 'api', ['10.0.0.2']), 'utf16le')]));
    const one = await run('--format', 'json', '--jobs', '1', '.');
    expect(one.err.split('\n').filter(Boolean)).to.have.length(2);
    expect(await run('--format', 'json', '--jobs', '2', '.')).to.deep.equal(one);
    expect(await run('--format', 'json', '--jobs', '4', '.')).to.deep.equal(one);
  });

  describe('threadsFor and splitBySize', () => {
    const file = (name: string, bytes: number): InputFile => {
      put(name, 'x'.repeat(bytes));
      return { display: name, path: join(dir, name), json: false };
    };

    it('stays on one thread for small inputs, one file, stdin or --jobs 1', () => {
      const small = [file('a.yaml', 10), file('b.yaml', 10)];
      expect(threadsFor(small, 'auto')).to.equal(1);
      expect(threadsFor(small, 2)).to.equal(2);
      expect(threadsFor([small[0]], 4)).to.equal(1);
      expect(threadsFor([...small, { display: '<stdin>', path: '-', json: false }], 4)).to.equal(1);
      const big = [file('c.yaml', PARALLEL_MIN_BYTES / 2), file('d.yaml', PARALLEL_MIN_BYTES / 2)];
      expect(threadsFor(big, 1)).to.equal(1);
      const cores = availableParallelism();
      expect(threadsFor(big, 'auto')).to.equal(cores < 3 ? 1 : 2); // one core is left to V8's helpers
      expect(autoThreads()).to.equal(Math.max(1, Math.min(cores - 1, 4)));
      expect(threadsFor(big, 9)).to.equal(2); // never more threads than files
    });

    it('cuts files into contiguous groups of about equal size, each with a file', () => {
      const files = [100, 100, 100, 100, 400, 100, 100].map((n, i) => file(`f${i}.yaml`, n));
      const groups = splitBySize(files, 3);
      expect(groups.flat()).to.deep.equal([0, 1, 2, 3, 4, 5, 6]);
      expect(groups).to.have.length(3);
      expect(groups.every((g) => g.length > 0)).to.equal(true);
      expect(splitBySize(files.slice(0, 2), 2)).to.deep.equal([[0], [1]]);
      expect(splitBySize([file('z.yaml', 0), file('y.yaml', 0), file('w.yaml', 5)], 3)).to.deep.equal([[0], [1], [2]]);
    });
  });
});

describe('validate --jobs (process)', () => {
  useTempDir();

  it('the built CLI gives the same JSON with --jobs 2 as with --jobs 1', () => {
    for (let i = 0; i < 4; i++) write(`s${i}.yaml`, SLICE(`api-${i}`, 'api', [`10.0.0.${i}`, '10.0.0.1']) + '---\n' + SERVICE(`svc-${i}`));
    const one = sliceguard(['validate', '--format', 'json', '--jobs', '1', '.']);
    const two = sliceguard(['validate', '--format', 'json', '--jobs', '2', '.']);
    expect(one.err).to.equal('');
    expect(two).to.deep.equal(one);
    expect(JSON.parse(two.out).summary.endpointSlices).to.equal(4);
  });
});
