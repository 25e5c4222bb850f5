/**
 * Hostile file contents fed to the built CLI as a process (`validate --format json`): binary
 * files, invalid UTF-8, UTF-16, NUL bytes, YAML bombs, 100,000-level nesting, duplicate keys and
 * `__proto__`/`constructor` keys. Each must end in a clear finding or one line and exit 2.
 */
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt } from '../cli/built-cli.ts';
import { expectClean, runCli, scratch, seededBytes, sliceYaml, type JsonReport } from './cli-run.ts';

const SLICE = sliceYaml(1, 1).replace(/^---\n/, '');

describe('hardening: hostile file contents through the CLI', function () {
  this.timeout(120_000);
  const s = scratch('cli-hostile');
  const validate = (name: string, content: string | Uint8Array, extra: string[] = []): { report: JsonReport | undefined; stderr: string; status: number | null } => {
    writeFileSync(join(s.dir, name), content);
    const r = runCli(['validate', '--format', 'json', ...extra, name], { cwd: s.dir, probe: s.probe });
    return { report: expectClean(r, name), stderr: r.stderr, status: r.status };
  };
  const rules = (report: JsonReport | undefined) => report!.results.flatMap((x) => x.violations.map((v) => v.rule));

  before(() => ensureBuilt());
  after(() => s.cleanup());

  it('random bytes named .yaml and .json: a syntax finding and a one-line note on the encoding', () => {
    for (const [name, seed] of [['random.yaml', 1], ['random.json', 2], ['random2.yml', 3]] as const) {
      const { report, stderr, status } = validate(name, seededBytes(64 * 1024, seed));
      expect(status, name).to.equal(1);
      expect(rules(report), name).to.include('syntax');
      expect(stderr, name).to.match(new RegExp(`^sliceguard: ${name}: not valid UTF-8: byte 0x[0-9a-f]{2} at line \\d+, column \\d+ \\(offset \\d+\\)`));
    }
  });

  it('random printable bytes: whatever YAML makes of them, a report', () => {
    const bytes = seededBytes(32 * 1024, 4).map((b) => 32 + (b % 95));
    const { status } = validate('printable.yaml', bytes);
    expect([0, 1]).to.include(status);
  });

  it('invalid UTF-8 is read as kubectl reads it (U+FFFD), located on stderr, and judged', () => {
    const inLabel = Buffer.from(SLICE.replace('service-name: web', 'service-name: w\u0000b'), 'utf8');
    inLabel[inLabel.indexOf(0)] = 0xff;
    const label = validate('label.yaml', inLabel);
    expect(label.status).to.equal(1);
    expect(label.stderr).to.equal('sliceguard: label.yaml: not valid UTF-8: byte 0xff at line 7, column 34 (offset 140); read with U+FFFD in its place, as kubectl does, and --fix leaves the file alone\n');
    expect(label.report!.results[0].violations.map((v) => `${v.rule} ${v.path} ${v.line}`)).to.include('metadata-labels metadata.labels 6');
    const inComment = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(' (Latin-1)\n' + SLICE)]);
    const comment = validate('comment.yaml', inComment);
    expect(comment.status).to.equal(0);
    expect(comment.stderr).to.match(/^sliceguard: comment\.yaml: not valid UTF-8: byte 0xe9 at line 1, column 6 \(offset 5\)/);
  });

  it('--fix leaves a file that is not UTF-8 byte for byte as it was', () => {
    const bytes = Buffer.concat([Buffer.from([0x23, 0x20, 0xe9, 0x0a]), Buffer.from(SLICE.replace('addressType: IPv4', 'addressType: IPv6').replace(/"10\.[0-9.]+"/, '"2001:DB8::1"'))]);
    const { stderr } = validate('fix.yaml', bytes, ['--fix']);
    expect(stderr).to.include('--fix leaves the file alone');
    expect(Buffer.compare(readFileSync(join(s.dir, 'fix.yaml')), bytes)).to.equal(0);
  });

  it('UTF-16 with a byte-order mark is read as kubectl reads it', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SLICE, 'utf16le')]);
    const r = validate('utf16le.yaml', le);
    expect(r.status).to.equal(0);
    expect(r.report!.summary.endpointSlices).to.equal(1);
    expect(r.stderr).to.equal('sliceguard: utf16le.yaml: UTF-16LE text (byte-order mark); read as kubectl reads it, and --fix leaves the file alone\n');
    const be = Buffer.from(le.swap16());
    expect(validate('utf16be.yaml', be).report!.summary.endpointSlices).to.equal(1);
  });

  it('a NUL byte: a syntax finding on its line', () => {
    const { report } = validate('nul.yaml', SLICE.replace('name: web-1', 'name: "web\u00001"'));
    expect(report!.results[0].violations.map((v) => `${v.rule} ${v.line}`)).to.deep.equal(['syntax 4']);
  });

  it('YAML bombs: billion laughs and aliases that stack nesting are syntax findings', () => {
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) laughs.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = validate('bomb.yaml', laughs.join('\n') + '\n');
    expect(bomb.report!.results[0].violations[0].message).to.match(/^Document expands to more than 1000000 nodes through YAML aliases/);
    const deep = ['a0: &a0 ' + '['.repeat(600) + ']'.repeat(600)];
    for (let i = 1; i < 4; i++) deep.push(`a${i}: &a${i} ${'['.repeat(600)}*a${i - 1}${']'.repeat(600)}`);
    const stacked = validate('stacked.yaml', deep.join('\n') + '\n');
    expect(stacked.report!.results[0].violations[0].message).to.match(/^Document is nested more than 1000 levels deep through YAML aliases/);
    expect(validate('self.yaml', 'a: &a [*a]\n').status).to.be.oneOf([0, 1]);
  });

  it('100,000 levels of nesting in YAML and JSON: a syntax finding, with the column for JSON', () => {
    for (const [name, text] of [['flow.yaml', `a: ${'['.repeat(1e5)}${']'.repeat(1e5)}\n`], ['seq.yaml', '- '.repeat(1e5) + 'x\n']]) {
      expect(validate(name, text).report!.results[0].violations[0].message, name).to.equal('Document is nested too deeply to read.');
    }
    const inner = '['.repeat(1e5) + ']'.repeat(1e5);
    const json = `{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"a","labels":{"x":${inner}}},"addressType":"IPv4","endpoints":[]}`;
    const v = validate('deep.json', json).report!.results[0].violations[0];
    // The object, metadata and labels are levels 1-3: level 1001 is the 998th bracket.
    expect(v).to.include({ rule: 'syntax', line: 1, column: json.indexOf('[') + 998, message: 'Document is nested more than 1000 levels deep, too deeply to read.' });
    expect(validate('deep-broken.json', '['.repeat(1e5) + 'x').report!.results[0].violations[0].column).to.equal(1001);
  });

  it('duplicate keys in YAML: a syntax finding on the second key', () => {
    const { report } = validate('dup.yaml', SLICE.replace('kind: EndpointSlice\n', 'kind: EndpointSlice\nkind: Service\n'));
    expect(report!.results[0].violations.map((v) => `${v.rule} ${v.line} ${v.message}`)).to.deep.equal(['syntax 3 Duplicated mapping key.']);
  });

  it('__proto__ and constructor keys stay data (YAML, JSON and merge keys): unknown fields, nothing polluted', () => {
    const yaml = SLICE.replace('metadata:\n', '__proto__: {polluted: yes}\nconstructor: {prototype: {polluted: yes}}\nmetadata:\n  __proto__: {namespace: kube-system}\n  <<: {__proto__: {admin: true}}\n');
    const y = validate('proto.yaml', yaml).report!;
    expect(y.results[0].violations.filter((v) => v.rule === 'unknown-field').map((v) => v.path)).to.have.members(['__proto__', 'constructor', 'metadata.__proto__']);
    expect((y.results[0] as unknown as { namespace: string }).namespace).to.equal('default');
    const json = '{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","__proto__":{"kind":"x"},"metadata":{"name":"a","labels":{"__proto__":"x"}},"addressType":"IPv4","endpoints":[]}';
    const j = validate('proto.json', json).report!;
    expect(j.results[0].violations.map((v) => `${v.rule} ${v.path}`)).to.include.members(['unknown-field __proto__', 'metadata-labels metadata.labels']);
  });

  it('binary on stdin: the same note, naming <stdin>', () => {
    const r = runCli(['validate', '--format', 'json', '-'], { cwd: s.dir, probe: s.probe, input: seededBytes(4096, 5) });
    expect(rules(expectClean(r, 'stdin'))).to.include('syntax');
    expect(r.stderr).to.match(/^sliceguard: <stdin>: not valid UTF-8/);
  });
});
