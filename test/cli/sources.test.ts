/**
 * Sources reads UTF-8 YAML files as bytes into one reused buffer and decodes each document on its
 * own (cli/inputs.ts readPlainUtf8); everything else is read as text. Both must give the same
 * documents, and the reused buffer must never be read for a file it no longer holds.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { Sources } from '../../cli/sources.ts';
import { readInput, readPlainUtf8, type InputFile } from '../../cli/inputs.ts';
import { splitYamlStream } from '../../cli/documents.ts';
import { SliceguardError } from '../../policies/errors.ts';
import { CLI, ensureBuilt } from './built-cli.ts';

let dir: string;
const notes: string[] = [];
const io = { cwd: '/', stdout() {}, stderr: (t: string) => void notes.push(t), readStdin: () => '', stdoutIsTTY: false, env: {} };
const fileOf = (name: string, bytes: string | Buffer): InputFile => {
  writeFileSync(join(dir, name), bytes);
  return { display: name, path: join(dir, name), json: name.endsWith('.json') };
};

describe('Sources: files read as bytes, documents decoded one by one', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sliceguard-sources-'));
    notes.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the documents of the text, non-ASCII, CRLF and markers included', () => {
    const text = '# head\n---\nname: ä€😀\n---\r\nb: 1\r\n...\n---\nc: "x"\n--- # c\nd: é\n';
    const file = fileOf('a.yaml', text);
    const sources = new Sources([file], io);
    expect(sources.chunks(file)).to.deep.equal(splitYamlStream(text));
    expect([...sources.documents(file)].map((d) => [d.index, d.value, d.chunk.startLine])).to.deep.equal([
      [0, { name: 'ä€😀' }, 0],
      [1, { b: 1 }, 3],
      [2, { c: 'x' }, 6],
      [3, { d: 'é' }, 8],
    ]);
    expect(notes).to.deep.equal([]);
  });

  it('reads a small file after a large one from the same buffer without the large one showing through', () => {
    const big = fileOf('big.yaml', Array.from({ length: 4000 }, (_, i) => `k${i}: ${'v'.repeat(50)}\n---\n`).join(''));
    const small = fileOf('small.yaml', 'a: 1\n');
    const empty = fileOf('empty.yaml', '');
    const sources = new Sources([big, small, empty], io);
    expect(sources.chunks(big)).to.have.length(4001);
    expect(sources.chunks(small)).to.deep.equal([{ text: 'a: 1\n', startLine: 0 }]);
    expect(sources.chunks(empty)).to.deep.equal([]);
    expect(sources.chunks(big)[3999].text).to.equal(`---\nk3999: ${'v'.repeat(50)}\n`);
  });

  it("gives the validation pass the Service pass's split of a file, and splits a file that changed in between anew", () => {
    const text = 'kind: Service\nmetadata: {name: a}\n---\n# x\n\nkind: EndpointSlice\n---\nb: 1\n';
    const file = fileOf('kept.yaml', text);
    const sources = new Sources([file], io);
    const expected = splitYamlStream(text);
    // The Service pass's read keeps the split; the next read takes it, and the one after splits again.
    expect([...sources.chunksWith(file, 'Service')]).to.deep.equal([[0, expected[0]]]);
    expect([...sources.documents(file)].map((d) => [d.index, d.chunk.text, d.chunk.startLine])).to.deep.equal(expected.map((c, i) => [i, c.text, c.startLine]));
    expect(sources.chunks(file)).to.deep.equal(expected);
    // A file of another size since the Service pass read it: its documents are those of the new text.
    [...sources.chunksWith(file, 'Service')];
    const changed = 'kind: Service\n---\na: 1\n---\nb: 2\n---\nc: 3\n';
    writeFileSync(file.path, changed);
    expect(sources.chunks(file)).to.deep.equal(splitYamlStream(changed));
    // Of the same size, written in the same clock tick or not: the file's change time tells
    // (set apart here, as a later write would be).
    const before = 'kind: Service\n---\na: 1\n---\nb: 22\n';
    const after = 'kind: Service\nx: 1\n---\nb: 222222\n';
    expect(after.length).to.equal(before.length);
    writeFileSync(file.path, before);
    utimesSync(file.path, 1_000_000, 1_000_000);
    const again = new Sources([file], io);
    [...again.chunksWith(file, 'Service')];
    again.carry(file, 0, { kind: 'Service', apiVersion: 'v1', metadata: { name: 'old' } });
    writeFileSync(file.path, after);
    utimesSync(file.path, 2_000_000, 2_000_000);
    const docs = [...again.documents(file)];
    expect(docs.map((d) => d.chunk.text)).to.deep.equal(splitYamlStream(after).map((c) => c.text));
    // ...and the Service pass's stand-in for its first document is dropped with the split.
    expect(docs[0].value).to.deep.equal({ kind: 'Service', x: 1 });
    // A file without the needle is not split and keeps nothing.
    const plain = fileOf('plain.yaml', 'a: 1\n---\nb: 2\n');
    expect([...sources.chunksWith(plain, 'Service')]).to.deep.equal([]);
    expect(sources.chunks(plain)).to.deep.equal(splitYamlStream('a: 1\n---\nb: 2\n'));
  });

  it('yields, with their indexes, exactly the documents that hold the needle, as bytes and as text', () => {
    // Around the needle: documents without it, one that ends with part of it and one that starts
    // with the rest, one that starts with it, several in one document, a `...` end, non-ASCII
    // before it (byte and character offsets differ).
    const docs = ['a: 1\n', 'kind: Serv\n', 'ice: x\n', 'Service: 1\n', 'é: Service Service\n...\n', 'b: 2\n', 'ü: x\nk: ServiceS\n', 'c: 3\n'];
    const text = docs.join('---\n');
    const expected = splitYamlStream(text)
      .map((c, i) => [i, c] as const)
      .filter(([, c]) => c.text.includes('Service'));
    expect(expected.map(([i]) => i)).to.deep.equal([3, 4, 6]);
    const asBytes = fileOf('needle.yaml', text);
    expect([...new Sources([asBytes], io).chunksWith(asBytes, 'Service')]).to.deep.equal(expected);
    // UTF-16 goes the text path.
    const asText = fileOf('needle16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect([...new Sources([asText], io).chunksWith(asText, 'Service')].map(([i, c]) => [i, c.text])).to.deep.equal(expected.map(([i, c]) => [i, c.text]));
  });

  it('leaves UTF-16, invalid UTF-8, JSON and pipes to the text reader, which says how it read them', () => {
    const scratch = { bytes: Buffer.alloc(0) };
    const utf16 = fileOf('u16.yaml', Buffer.from('\uFEFFa: 1\n', 'utf16le'));
    const invalid = fileOf('bad.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xff, 0x0a]));
    expect(readPlainUtf8(utf16, scratch)).to.equal(undefined);
    expect(readPlainUtf8(invalid, scratch)).to.equal(undefined);
    expect(readPlainUtf8({ display: '-', path: '-', json: false }, scratch)).to.equal(undefined);
    const sources = new Sources([utf16, invalid], io);
    expect([...sources.documents(utf16)].map((d) => d.value)).to.deep.equal([{ a: 1 }]);
    expect([...sources.documents(invalid)].map((d) => d.value)).to.deep.equal([{ a: '\uFFFD' }]);
    expect(notes.map((n) => n.split(':')[1])).to.deep.equal([' u16.yaml', ' bad.yaml']);
    const json = fileOf('a.json', '{"kind": "ConfigMap"}');
    expect([...new Sources([json], io).documents(json)].map((d) => d.value)).to.deep.equal([{ kind: 'ConfigMap' }]);
    // A FIFO has no size to read up to: it is read as text, to its end.
    const fifo = join(dir, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    spawn('sh', ['-c', `printf 'a: 1\\n---\\nb: 2\\n' > ${fifo}`], { stdio: 'ignore' }).unref();
    const f = { display: 'fifo.yaml', path: fifo, json: false };
    const once = new Sources([f], io);
    // Read twice, as the Service pass and the validation pass do: the text is kept.
    expect([...once.chunksWith(f, 'Service')]).to.deep.equal([]);
    expect([...once.documents(f)].map((d) => d.value)).to.deep.equal([{ a: 1 }, { b: 2 }]);
  });

  it('validates a process substitution, <(command), through the built CLI: read once, checked in full', () => {
    ensureBuilt();
    writeFileSync(join(dir, 'slices.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {ports: [{name: http, port: 80}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: api-1, labels: {kubernetes.io/service-name: api}}\naddressType: IPv4\nports: [{name: web, port: 8080}]\nendpoints: [{addresses: ["10.0.0.1"]}]\n');
    const out = execFileSync('bash', ['-c', `"$0" "$1" validate --format json <(cat slices.yaml); echo "exit $?"`, process.execPath, CLI], { cwd: dir, encoding: 'utf8' });
    const [json, exit] = out.trimEnd().split(/\n(?=exit )/);
    expect(exit).to.equal('exit 1'); // port-name-mismatch denies
    const report = JSON.parse(json) as { summary: { documents: number }; results: { violations: { rule: string }[] }[] };
    expect(report.summary.documents).to.equal(2);
    // The Service (read in the first pass) and the slice (in the second) were both seen.
    expect(report.results[1].violations.map((v) => v.rule)).to.include('port-name-mismatch');
  });

  it('reports an unreadable file as readInput does', () => {
    const missing = { display: 'nope.yaml', path: join(dir, 'nope.yaml'), json: false };
    const err = (() => {
      try {
        readPlainUtf8(missing, { bytes: Buffer.alloc(0) });
      } catch (e) {
        return e as SliceguardError;
      }
      return undefined;
    })();
    expect(err?.code).to.equal('SG_INPUT_UNREADABLE');
    expect(() => readInput(missing, () => '')).to.throw(err?.message);
  });

  it('refuses to decode a file after another was read into the buffer (a bug, not bad input)', () => {
    const a = fileOf('a.yaml', 'a: 1\n---\nb: 2\n');
    const b = fileOf('b.yaml', 'c: 3\n');
    const sources = new Sources([a, b], io);
    const walk = sources.eachChunk(a);
    expect(walk.next().value?.text).to.equal('a: 1\n');
    expect(sources.chunks(b)).to.have.length(1);
    expect(() => walk.next()).to.throw(/a\.yaml: another file was read before this one's documents were/);
    // So does a walk for a needle, whose search would otherwise run over the other file's bytes,
    // and whatever the other read found (here a file without the needle, of the same size, so
    // that it is read into the same buffer over all of the first one).
    const c = fileOf('c.yaml', 'kind: Service\nx: 1\n---\nkind: Service\n');
    const d = fileOf('d.yaml', 'a: 111111111111111111\n---\nb: 2222222\n');
    expect(readFileSync(d.path).length).to.equal(readFileSync(c.path).length);
    const needles = new Sources([c, d], io);
    const search = needles.chunksWith(c, 'Service');
    expect(search.next().value?.[0]).to.equal(0);
    expect([...needles.chunksWith(d, 'Service')]).to.deep.equal([]);
    expect(() => search.next()).to.throw(/c\.yaml: another file was read/);
  });

  it('forgets what it read of a file that --fix rewrote, under every name the file was given', () => {
    const text = 'kind: Service\n---\nb: 22\n';
    const file = fileOf('twice.yaml', text);
    const same = { ...file, display: `./${file.display}` };
    const sources = new Sources([file, same], io);
    [...sources.chunksWith(file, 'Service')];
    [...sources.chunksWith(same, 'Service')];
    sources.carry(same, 0, { kind: 'Service', metadata: { name: 'old' } });
    // The fix of the first name writes the file (same size, same clock tick) and replaces its text.
    const fixed = 'kind: Service\nb: 22\n---\n';
    expect(fixed.length).to.equal(text.length);
    writeFileSync(file.path, fixed);
    sources.replace(file, fixed);
    const docs = [...sources.documents(same)];
    expect(docs.map((d) => d.chunk.text)).to.deep.equal(splitYamlStream(fixed).map((c) => c.text));
    expect(docs[0].value).to.deep.equal({ kind: 'Service', b: 22 });
  });
});
