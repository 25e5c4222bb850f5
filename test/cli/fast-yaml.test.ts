/**
 * The fast YAML reader against js-yaml: whenever it answers, the value is js-yaml's and js-yaml
 * reads the text without error; the Locator's positions from it are the listener path's. Checked
 * on examples at the edges of its subset, on every document of the shared corpus and a generated
 * benchmark corpus, and on random documents built from tricky tokens and mutated.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { fastLoad } from '../../cli/fast-yaml.ts';
import { parseChunk, type Chunk } from '../../cli/documents.ts';
import { Locator } from '../../cli/locate.ts';
import { KUBECTL_YAML_SCHEMA } from '../../cli/yaml-schema.ts';
import { generatedChunks, sharedCorpusChunks } from '../helpers/corpus-chunks.ts';
import { renderTree, type Tree } from '../helpers/yaml-trees.ts';

type Ref = { ok: true; value: unknown } | { ok: false };

function reference(text: string): Ref {
  try {
    return { ok: true, value: yaml.load(text, { schema: KUBECTL_YAML_SCHEMA }) ?? null };
  } catch {
    return { ok: false };
  }
}

/** Asserts the reader's contract on one text; returns whether it answered. */
function agrees(text: string): boolean {
  const fast = fastLoad(text, KUBECTL_YAML_SCHEMA);
  if (!fast) return false;
  const ref = reference(text);
  expect(ref.ok, `js-yaml refuses what the fast reader read:\n${text}`).to.equal(true);
  expect(fast.value, text).to.deep.equal((ref as { value: unknown }).value);
  return true;
}

/** Every pointer into `value`, plus ones that go one step past what is there. */
function pointers(value: unknown, prefix = ''): string[] {
  const out = [prefix, `${prefix}/missing`, `${prefix}/0`];
  if (value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) out.push(...pointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

/** Compares the Locator's fast paths with its listener path; `parsed` first parses as validate does. */
function locatesAlike(chunk: Chunk, parsed = false): void {
  if (parsed) parseChunk(chunk, 0);
  const fast = new Locator(chunk);
  const slow = new Locator(chunk, false);
  const ref = reference(chunk.text);
  if (!ref.ok) return;
  for (const p of pointers(ref.value)) expect(fast.locate(p), `${p} in\n${chunk.text}`).to.deep.equal(slow.locate(p));
  expect(fast.documentStart()).to.deep.equal(slow.documentStart());
}

describe('fast YAML reader', () => {
  const handled: string[] = [
    'a: 1\nb: yes\nc: "x"\nd: \'it\'\'s\'\ne: ~\nf:\ng: {}\nh: []\n',
    '---\n# c\napiVersion: v1\nlist:\n- a\n- b: 1\n  c: [] # x\n-   d: 2\n    e:\n    - 10.0.0.1\n',
    'k:\n  - x\n  -\n    y: 1\nz: 0x1F\nw: 1_000\nv: .inf\nu: 2024-05-01\nt: "a\\"b\\n"\n',
    'f:metadata:\n  f:labels:\n    .: {}\n"quoted key": on\n\'single\': -1\nn: a#b\nm: a #b\n',
  ];
  const refused: string[] = [
    'a: &x 1\nb: *x\n', // anchors
    'a: !!str 1\n', // tags
    'a: {b: 1}\n', // flow mapping with content
    'a: |\n  text\n', // block scalar
    'a: b\n  c\n', // multi-line plain scalar
    'a: 1\na: 2\n', // duplicate key (js-yaml's error)
    'a:\tb\n', // tab
    '<<: {a: 1}\n', // merge key
    'a: "x\n  y"\n', // quoted scalar over two lines
    'a: "\\x41"\n', // escape outside the simple set
    '- - a\n', // nested inline sequence
    'a: b: c\n', // js-yaml's error
    'plain scalar\n', // not a collection
    '%YAML 1.1\n---\na: 1\n', // directive
    'a:\n  b: 1\n c: 2\n', // bad indentation
    'a: 1\r\nb: 2\r\n', // CR
    `${'a:\n'.repeat(1)}${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')}`, // deeper than 64
  ];
  for (const text of handled) it(`reads ${JSON.stringify(text.slice(0, 30))}... as js-yaml does`, () => expect(agrees(text)).to.equal(true));
  for (const text of refused) it(`leaves ${JSON.stringify(text.slice(0, 30))}... to js-yaml`, () => expect(agrees(text)).to.equal(false));

  it('agrees with js-yaml and the Locator on every document of the shared corpus', function () {
    const chunks = sharedCorpusChunks();
    if (!chunks) this.skip();
    for (const chunk of chunks) {
      agrees(chunk.text);
      locatesAlike(chunk);
      locatesAlike({ ...chunk }, true);
    }
  });

  it('reads nearly every document of a generated corpus itself, with js-yaml’s values and positions', () => {
    let fast = 0;
    let all = 0;
    for (const chunk of generatedChunks(3, 150)) {
      all++;
      if (agrees(chunk.text)) fast++;
      locatesAlike(chunk);
      locatesAlike({ ...chunk }, true);
    }
    expect(fast).to.equal(all);
  });

  it('reads random documents of plain tokens as js-yaml does, positions included', () => {
    let answered = 0;
    fc.assert(
      fc.property(documentText(PLAIN_SCALARS, PLAIN_KEYS), (text) => {
        if (agrees(text)) answered++;
        if (fastLoad(text, yaml.DEFAULT_SCHEMA, true)) locatesAlike({ text, startLine: 0 });
      }),
      { numRuns: 1000 },
    );
    expect(answered).to.be.greaterThan(500); // the comparison must not be vacuous
  });

  it('resolves a repeated key by the schema it is read with (keys are cached per schema)', () => {
    const text = 'on: 1\n0x10: 2\nname: 3\n';
    for (let round = 0; round < 2; round++) {
      expect(fastLoad(text, KUBECTL_YAML_SCHEMA)?.value).to.deep.equal({ true: 1, 16: 2, name: 3 });
      expect(fastLoad(text, yaml.DEFAULT_SCHEMA)?.value).to.deep.equal(yaml.load(text));
      expect(Object.keys(fastLoad(text, yaml.DEFAULT_SCHEMA)?.value as object)).to.deep.equal(['16', 'on', 'name']);
    }
  });

  it('marks what parseChunk read for the Locator to walk, with keys as the parsed object has them', () => {
    const chunk: Chunk = { text: 'metadata:\n  labels:\n    on: x\n  name: a\nspec:\n', startLine: 4 };
    expect(parseChunk(chunk, 0).value).to.deep.equal({ metadata: { labels: { true: 'x' }, name: 'a' }, spec: null });
    // An empty value (spec) makes js-yaml's listener report differently: left to the listener.
    expect(chunk.blockStyle).to.equal(undefined);
    expect(new Locator(chunk).locate('/spec')).to.deep.equal({ line: 9, column: 1 });
    const walked: Chunk = { text: chunk.text.replace('spec:\n', ''), startLine: 4 };
    parseChunk(walked, 0);
    expect(walked.positions).to.equal(undefined);
    expect(walked.blockStyle).to.equal(true);
    // The Service pass asks for nothing to be kept.
    const servicePass: Chunk = { text: walked.text, startLine: 4 };
    parseChunk(servicePass, 0, false);
    expect(servicePass.blockStyle).to.equal(undefined);
    // kubectl reads `on` as true: the finding's pointer says /true, and the key is found.
    expect(new Locator(walked).locate('/metadata/labels/true')).to.deep.equal({ line: 7, column: 5 });
    expect(new Locator(walked).locate('/metadata/name')).to.deep.equal({ line: 8, column: 3 });
    // The same places as the fast reader's own positions give.
    const read = fastLoad(walked.text, KUBECTL_YAML_SCHEMA, true);
    expect(read?.walkable).to.equal(true);
    const kept = new Locator({ text: walked.text, startLine: 4, positions: read?.pos });
    for (const p of ['/metadata/labels/true', '/metadata/name', '/metadata/missing', '/missing']) expect(new Locator(walked).locate(p), p).to.deep.equal(kept.locate(p));
  });

  it('never answers differently from js-yaml on random and mutated documents', () => {
    fc.assert(
      fc.property(documentText(SCALARS, KEYS), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...JUNK)), { maxLength: 3 }), (text, edits) => {
        let t = text;
        for (const [at, junk] of edits) t = t.slice(0, at % (t.length + 1)) + junk + t.slice(at % (t.length + 1));
        agrees(t);
        if (fastLoad(t, yaml.DEFAULT_SCHEMA, true)) locatesAlike({ text: t, startLine: 0 });
      }),
      { numRuns: 1500 },
    );
  });
});

const SCALARS = [
  'web', 'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'False', 'null', '~', 'Null', '', '0', '-1', '+1', '0x1F', '0o17', '0b11', '1_000',
  '1.5', '.5', '1e3', '.inf', '-.Inf', '.nan', '10.0.0.1', 'fd00::1', 'a b', 'a#b', 'a #b', 'a:b', 'a: b', "'q'", "'it''s'", "''", '"d"',
  '"a\\"b"', '"\\n\\t"', '"\\x41"', '"\\u00e9"', '"#"', '{}', '[]', '{a: 1}', '[1, 2]', '&a x', '*a', '!!str 1', '|', '>', '- x', '-x',
  '?x', ':x', '%x', '@x', '`x', '<<', '2024-05-01', '2024-05-01T10:00:00Z', '"open', "'open", 'é', '__proto__', 'x # c', '-', '---', '...',
  // Around the reader's shortcuts: words of five letters or fewer, numbers with one dot or more.
  'NULL', 'TRUE', 'nO', 'Yes', 'abcde', 'Y', '1.2.3', '1..5', '10.0.0.01', '1.2e3', '2024.05.01', '1_0.5', '0.', '7.',
];
const KEYS = ['a', 'b', 'name', 'f:metadata', '"q k"', "'s k'", 'on', 'yes', '1', '0x10', 'null', '<<', '__proto__', 'a b', '-k', '?k', 'k#x', 'a', 'b'];
// Tokens inside the fast subset (with YAML 1.1 booleans, numbers and quoting), so most documents are read fast.
const PLAIN_SCALARS = SCALARS.filter((t) => !/^([{[][^\]}]|[&*!|>?:%@`-]|<<|"open|'open|__proto__|---|\.\.\.|"\\x|"\\u|a: b)/.test(t) || t === '-x' || t === '-1');
const PLAIN_KEYS = ['a', 'b', 'name', 'f:metadata', '"q k"', "'s k'", 'on', '1', '0x10', 'null', 'a b', 'c', 'd'];
const JUNK = [' ', '  ', '\t', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '{', '[', '&', '*', '!', '|', '---\n', '\r', '\u0001', '\uFEFF'];

/** Random documents: nested maps and lists of tricky scalars, in kubectl's and other layouts. */
function documentText(scalars: string[], keys: string[]): fc.Arbitrary<string> {
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree' },
      fc.constantFrom(...scalars),
      fc.record({ map: fc.array(fc.tuple(fc.constantFrom(...keys), tie('tree')), { minLength: 1, maxLength: 4 }) }),
      fc.record({ seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    ),
  }));
  const root = tree.filter((t) => typeof t !== 'string');
  return fc
    .tuple(root, fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([t, step, flatLists, compact, marker]) => (marker ? '---\n' : '') + renderTree(t, 0, step, flatLists, compact));
}
