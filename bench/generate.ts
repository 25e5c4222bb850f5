/**
 * Builds the benchmark corpora from a seed: multi-document YAML files of Services and their
 * EndpointSlices, about 3% of the slices carrying one injected error each, and the list of those
 * errors (file, document, the deny rules sliceguard must report). Nothing large is committed:
 * `writeCorpus` generates into bench/out/ and reuses what is there when the recipe is unchanged.
 */
import yaml from 'js-yaml';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom, type Random } from './random.ts';
import { AddressPool, serviceGroup, type GroupOptions, type ServiceGroup } from './shapes.ts';
import { INJECTORS, type InjectionKind } from './inject.ts';

/** The recipe of one corpus. */
export interface CorpusSpec {
  name: string;
  seed: number;
  slices: number;
  files: number;
  /** File names are `${prefix}-NNN.yaml`. */
  prefix: string;
  /** Share of slices that get one injected error (0.03). */
  injectRate: number;
  /** Injected error kinds, used in turn. */
  kinds: InjectionKind[];
  group?: GroupOptions;
}

/** One injected error and what sliceguard must say about it. */
export interface Injection {
  file: string;
  /** 0-based document index in the file (contracts.md). */
  document: number;
  namespace: string | null;
  name: string;
  kind: InjectionKind;
  detail: string;
  /** Exactly the deny rules expected on that document. */
  rules: string[];
}

/** One generated file. */
export interface CorpusFile {
  name: string;
  text: string;
  documents: number;
  slices: number;
}

/**
 * Yields the corpus's files one at a time (deterministic for a spec) and fills `injected` as it
 * goes; files are rendered lazily so that a 50 MB corpus is never held at once.
 */
export function* buildCorpus(spec: CorpusSpec, injected: Injection[]): Generator<CorpusFile> {
  const r = createRandom(spec.seed, spec.name);
  const pool = new AddressPool();
  const groups = makeGroups(r, pool, spec);
  const plan = injectionPlan(r, spec);
  const perFile = Math.ceil(spec.slices / spec.files);
  let sliceIndex = 0;
  let emitted = new Set<ServiceGroup>();
  let docs: string[] = [];
  let count = 0;
  const flush = (fileNo: number): CorpusFile => {
    const file = { name: `${spec.prefix}-${String(fileNo).padStart(3, '0')}.yaml`, text: docs.join(''), documents: docs.length, slices: count };
    docs = [];
    count = 0;
    emitted = new Set();
    return file;
  };
  let fileNo = 0;
  for (const group of groups) {
    for (const slice of group.slices) {
      const fileName = `${spec.prefix}-${String(fileNo).padStart(3, '0')}.yaml`;
      // Each file holds the Services of its slices, before them, as people keep them together.
      if (!emitted.has(group)) {
        emitted.add(group);
        docs.push(render(group.service, group.exported, r));
      }
      const kind = plan.get(sliceIndex);
      if (kind) injected.push({ ...INJECTORS[kind](slice, pool, r), file: fileName, document: docs.length, kind, ...identity(slice) });
      docs.push(render(slice, group.exported, r));
      count++;
      sliceIndex++;
      if (count === perFile) yield flush(fileNo++);
    }
  }
  if (count > 0) yield flush(fileNo);
}

function makeGroups(r: Random, pool: AddressPool, spec: CorpusSpec): ServiceGroup[] {
  const groups: ServiceGroup[] = [];
  let total = 0;
  while (total < spec.slices) {
    const g = serviceGroup(r, pool, groups.length, spec.group);
    g.slices.length = Math.min(g.slices.length, spec.slices - total);
    total += g.slices.length;
    groups.push(g);
  }
  return groups;
}

/** Returns slice index -> injected kind: round(rate x slices) distinct slices, kinds in turn. */
function injectionPlan(r: Random, spec: CorpusSpec): Map<number, InjectionKind> {
  const n = Math.round(spec.slices * spec.injectRate);
  const order = Array.from({ length: spec.slices }, (_, i) => i);
  const plan = new Map<number, InjectionKind>();
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(r.next() * (order.length - i));
    [order[i], order[j]] = [order[j], order[i]];
    plan.set(order[i], spec.kinds[i % spec.kinds.length]);
  }
  return plan;
}

function identity(slice: Record<string, unknown>): { namespace: string | null; name: string } {
  const meta = slice.metadata as Record<string, unknown>;
  return { namespace: typeof meta.namespace === 'string' ? meta.namespace : null, name: String(meta.name) };
}

/**
 * Renders one document with its `---` line. Exports look like kubectl's output (sorted keys,
 * sequences not indented); hand-written ones keep authoring order and sometimes a comment.
 */
function render(object: Record<string, unknown>, exported: boolean, r: Random): string {
  const body = yaml.dump(object, { lineWidth: -1, noRefs: true, sortKeys: exported, noArrayIndent: exported });
  const comment = !exported && r.chance(0.15) ? `# ${String((object.metadata as { name: string }).name)}: maintained by hand, see the runbook\n` : '';
  return `---\n${comment}${body}`;
}

/** What `writeCorpus` leaves in its directory. */
export interface WrittenCorpus {
  spec: CorpusSpec;
  /** The directory to validate (only manifests are in it). */
  manifests: string;
  files: number;
  documents: number;
  slices: number;
  bytes: number;
  injected: Injection[];
}

/**
 * Writes a corpus to `dir`/manifests with `injected.json` and `corpus.json` beside it; when
 * corpus.json shows the same recipe and generator, the files on disk are reused.
 */
export function writeCorpus(spec: CorpusSpec, dir: string, force = false): WrittenCorpus {
  const recipe = recipeHash(spec);
  const infoPath = join(dir, 'corpus.json');
  if (!force) {
    try {
      const info = JSON.parse(readFileSync(infoPath, 'utf8')) as WrittenCorpus & { recipe: string };
      if (info.recipe === recipe) return { ...info, injected: JSON.parse(readFileSync(join(dir, 'injected.json'), 'utf8')) as Injection[] };
    } catch {
      // absent or unreadable: generate
    }
  }
  const manifests = join(dir, 'manifests');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(manifests, { recursive: true });
  const injected: Injection[] = [];
  const out: WrittenCorpus = { spec, manifests, files: 0, documents: 0, slices: 0, bytes: 0, injected };
  for (const file of buildCorpus(spec, injected)) {
    writeFileSync(join(manifests, file.name), file.text);
    out.files++;
    out.documents += file.documents;
    out.slices += file.slices;
    out.bytes += Buffer.byteLength(file.text);
  }
  writeFileSync(join(dir, 'injected.json'), JSON.stringify(injected, null, 2) + '\n');
  const { injected: _, ...summary } = out;
  writeFileSync(infoPath, JSON.stringify({ ...summary, recipe }, null, 2) + '\n');
  return out;
}

/** The recipe's identity: the spec plus the generator's own source, so an edit regenerates. */
function recipeHash(spec: CorpusSpec): string {
  const h = createHash('sha256').update(JSON.stringify(spec));
  for (const f of ['generate.ts', 'shapes.ts', 'inject.ts', 'random.ts']) h.update(readFileSync(join(import.meta.dirname, f)));
  return h.digest('hex').slice(0, 16);
}
