/**
 * Hostile files and trees through the built CLI: a big multi-document file with bounded memory, a
 * single 20 MB value, thousands of files, symlink loops, unreadable files, and a reader that
 * closes the pipe early. `SLICEGUARD_HOSTILE_MB=100` runs the big file at 100 MB (docs/security.md).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, openSync, symlinkSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ensureBuilt } from '../cli/built-cli.ts';
import { expectClean, runCli, scratch, sliceYaml } from './cli-run.ts';

const BIG_MB = Number(process.env.SLICEGUARD_HOSTILE_MB ?? 30);

describe('hardening: hostile files and trees through the CLI', function () {
  this.timeout(300_000);
  const s = scratch('cli-files');
  const run = (args: string[]) => runCli(['validate', '--format', 'json', ...args], { cwd: s.dir, probe: s.probe, timeoutMs: 240_000 });

  before(() => ensureBuilt());
  after(() => s.cleanup());

  it(`a ${BIG_MB} MB multi-document file: every document checked, peak RSS under 150 MB + 8x the file`, () => {
    const fd = openSync(join(s.dir, 'big.yaml'), 'w');
    let size = 0;
    let n = 0;
    // Built in 1 MB pieces so that the test itself never holds the file.
    while (size < BIG_MB * 1024 * 1024) {
      let piece = '';
      while (piece.length < 1024 * 1024) piece += sliceYaml(n++);
      writeSync(fd, piece);
      size += piece.length;
    }
    closeSync(fd);
    const r = run(['big.yaml']);
    const report = expectClean(r, 'big.yaml')!;
    expect(r.status).to.equal(0);
    expect(report.summary).to.deep.include({ documents: n, endpointSlices: n, denied: 0 });
    // Measured on Node 24: 3 MB -> 99 MiB, 10 -> 172, 30 -> 314, 100 -> 588; the growth slows as the
    // file grows (a result per document is kept for the report, the rest is garbage the GC has not
    // yet returned). js-yaml's loadAll alone, holding every document, peaks at 358 MiB for 30 MB.
    expect(r.maxRssKiB * 1024, `peak RSS ${Math.round(r.maxRssKiB / 1024)} MiB for ${BIG_MB} MiB in ${r.ms} ms`).to.be.below(150 * 2 ** 20 + 8 * size);
  });

  it('one slice with a 20 MB annotation: one finding, and the message does not echo the value', () => {
    const value = 'x'.repeat(20 * 1024 * 1024);
    writeFileSync(join(s.dir, 'huge-value.yaml'), sliceYaml(1, 1).replace('  labels:\n', `  annotations:\n    note: ${value}\n  labels:\n`));
    const r = run(['huge-value.yaml']);
    const report = expectClean(r, 'huge-value.yaml')!;
    expect(report.results[0].violations.map((v) => v.rule)).to.deep.equal(['metadata-annotations']);
    expect(r.stdout.length).to.be.below(4096);
  });

  it('3000 files in 30 directories: each read once, in order, memory flat', () => {
    for (let d = 0; d < 30; d++) {
      mkdirSync(join(s.dir, 'many', `d${String(d).padStart(2, '0')}`), { recursive: true });
      for (let f = 0; f < 100; f++) writeFileSync(join(s.dir, 'many', `d${String(d).padStart(2, '0')}`, `s${String(f).padStart(3, '0')}.yaml`), sliceYaml(d * 100 + f, 2));
    }
    const r = run(['many']);
    const report = expectClean(r, 'many')!;
    expect(report.summary).to.deep.include({ files: 3000, documents: 3000, denied: 0 });
    expect(report.results[2999].file).to.equal('many/d29/s099.yaml');
    expect(r.maxRssKiB, `peak RSS ${Math.round(r.maxRssKiB / 1024)} MiB`).to.be.below(300 * 1024);
  });

  it('symlink loops and dangling links in a tree: each real file once; a looping file named directly is one line, exit 2', () => {
    const tree = join(s.dir, 'loops');
    mkdirSync(join(tree, 'sub'), { recursive: true });
    writeFileSync(join(tree, 'a.yaml'), sliceYaml(1, 1));
    writeFileSync(join(tree, 'sub', 'b.yaml'), sliceYaml(2, 1));
    symlinkSync('.', join(tree, 'self'));
    symlinkSync('..', join(tree, 'sub', 'up'));
    symlinkSync(tree, join(tree, 'sub', 'absolute'));
    symlinkSync('missing.yaml', join(tree, 'dangling.yaml'));
    symlinkSync('ping.yaml', join(tree, 'pong.yaml'));
    symlinkSync('pong.yaml', join(tree, 'ping.yaml'));
    const report = expectClean(run(['loops']), 'loops')!;
    expect(report.results.map((x) => x.file)).to.deep.equal(['loops/a.yaml', 'loops/sub/b.yaml']);
    const direct = run(['loops/ping.yaml']);
    expectClean(direct, 'ping.yaml');
    expect(direct.stderr).to.equal('sliceguard: loops/ping.yaml: too many levels of symbolic links [SG_INPUT_UNREADABLE]\n');
  });

  it('a file that cannot be read (an I/O error), named or in a tree: one line, exit 2', function () {
    if (!existsSync('/proc/self/mem')) this.skip(); // Linux: reading /proc/self/mem at offset 0 fails with EIO, even for root
    mkdirSync(join(s.dir, 'eio'));
    symlinkSync('/proc/self/mem', join(s.dir, 'eio', 'mem.yaml'));
    for (const target of ['eio/mem.yaml', 'eio']) {
      const r = run([target]);
      expectClean(r, target);
      expect(r.stderr).to.equal('sliceguard: eio/mem.yaml: input/output error [SG_INPUT_UNREADABLE]\n');
    }
  });

  it('a file without read permission: one line, exit 2', function () {
    if (process.platform === 'win32') this.skip();
    writeFileSync(join(s.dir, 'secret.yaml'), sliceYaml(1, 1));
    chmodSync(join(s.dir, 'secret.yaml'), 0o000);
    // Root reads whatever the mode says: as root, the CLI runs as nobody (65534) instead.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(s.dir, 0o755);
    const r = runCli(['validate', '--format', 'json', 'secret.yaml'], { cwd: s.dir, probe: s.probe, ...(asRoot ? { uid: 65534 } : {}) });
    expectClean(r, 'secret.yaml');
    expect(r.stderr).to.equal('sliceguard: secret.yaml: permission denied [SG_INPUT_UNREADABLE]\n');
  });

  it('a reader that closes the pipe early (| head): no stack trace, the exit code of the run', async () => {
    let text = '';
    for (let i = 0; i < 3000; i++) text += sliceYaml(i % 1000, 2); // repeats: duplicate-address warnings
    writeFileSync(join(s.dir, 'dups.yaml'), text.replace('addressType: IPv4', 'addressType: IPv9'));
    const child = spawn(process.execPath, [CLI, 'validate', 'dups.yaml'], { cwd: s.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).to.equal('');
    expect(code).to.equal(1);
  });
});
