/**
 * Smoke tests of the benchmark's corpus generator: the same seed gives the same bytes, and the
 * list of injected errors describes the documents exactly (sliceguard denies those and no other).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { buildCorpus, writeCorpus, type CorpusSpec, type Injection } from '../../bench/generate.ts';
import { checkReport } from '../../bench/check.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

const SPEC: CorpusSpec = {
  name: 'smoke',
  seed: 8,
  slices: 300,
  files: 3,
  prefix: 'smoke',
  injectRate: 0.05,
  kinds: ['too-many-endpoints', 'bad-address', 'bad-port-name', 'duplicate-port-name', 'missing-service-name'],
};

function build(spec: CorpusSpec): { files: { name: string; text: string }[]; injected: Injection[] } {
  const injected: Injection[] = [];
  const files = [...buildCorpus(spec, injected)].map(({ name, text }) => ({ name, text }));
  return { files, injected };
}

type Obj = Record<string, unknown>;

describe('bench corpus generator', () => {
  it('gives the same files and injected list for the same seed, and others for another seed', () => {
    const a = build(SPEC);
    const b = build(SPEC);
    expect(a.files.map((f) => f.name)).to.deep.equal(['smoke-000.yaml', 'smoke-001.yaml', 'smoke-002.yaml']);
    expect(b).to.deep.equal(a);
    expect(build({ ...SPEC, seed: 9 }).files[0].text).to.not.equal(a.files[0].text);
  });

  it('writes the slices asked for, one error per listed document, all kinds used', () => {
    const { files, injected } = build(SPEC);
    const docs = new Map(files.map((f) => [f.name, yaml.loadAll(f.text) as Obj[]]));
    const slices = [...docs.values()].flat().filter((d) => d.kind === 'EndpointSlice');
    expect(slices).to.have.length(300);
    expect(injected).to.have.length(15);
    expect(new Set(injected.map((i) => i.kind))).to.have.length(5);
    for (const i of injected) {
      const doc = docs.get(i.file)?.[i.document] as Obj;
      expect((doc.metadata as Obj).name, `${i.file}#${i.document}`).to.equal(i.name);
      expect(defects(doc), `${i.file}#${i.document}`).to.deep.equal([i.kind]);
    }
    const listed = new Set(injected.map((i) => i.name));
    for (const s of slices.filter((s) => !listed.has(String((s.metadata as Obj).name)))) expect(defects(s)).to.deep.equal([]);
  });

  it('is denied by sliceguard exactly where the list says, with the listed rules', function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'sg-bench-gen-'));
    try {
      const corpus = writeCorpus(SPEC, dir);
      let report = '';
      try {
        report = execFileSync(process.execPath, [join(ROOT, 'cli/main.ts'), 'validate', '--format', 'json', corpus.manifests], { encoding: 'utf8', maxBuffer: 1 << 28 });
      } catch (err) {
        report = (err as { stdout: string }).stdout; // exit 1: something is denied, as it must be
      }
      const check = checkReport(report, corpus.manifests, corpus.injected);
      expect(check.problems).to.deep.equal([]);
      expect(check).to.include({ injected: 15, matched: 15, unexpectedDenials: 0 });
      expect(writeCorpus(SPEC, dir).injected).to.deep.equal(corpus.injected); // reused from disk
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The injected kinds a slice shows, judged from its content alone. */
function defects(slice: Obj): string[] {
  const out: string[] = [];
  const eps = (slice.endpoints as Obj[]) ?? [];
  const ports = (slice.ports as Obj[]) ?? [];
  const labels = ((slice.metadata as Obj).labels as Obj) ?? {};
  const addresses = eps.flatMap((e) => e.addresses as string[]);
  const family = slice.addressType;
  const validAddress = (a: string): boolean =>
    family === 'IPv4' ? /^10(\.(25[0-4]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(a) : family === 'IPv6' ? /^fd00:10:96::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(a) : /^[a-z0-9.-]+$/.test(a);
  if (!addresses.every(validAddress)) out.push('bad-address');
  const names = ports.map((p) => String(p.name));
  if (!names.every((n) => /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/.test(n))) out.push('bad-port-name');
  if (new Set(names).size !== names.length) out.push('duplicate-port-name');
  if (!labels['kubernetes.io/service-name']) out.push('missing-service-name');
  if (eps.length > 1000) out.push('too-many-endpoints');
  return out;
}
