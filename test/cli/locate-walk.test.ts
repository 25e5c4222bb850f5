/** The Locator's walk to a pointer (large documents) agrees with the fast reader's kept positions. */
import { expect } from 'chai';
import fc from 'fast-check';
import { fastLoad } from '../../cli/fast-yaml.ts';
import { parseChunk, type Chunk } from '../../cli/documents.ts';
import { Locator } from '../../cli/locate.ts';
import { walkToPointer } from '../../cli/locate-walk.ts';
import { KUBECTL_YAML_SCHEMA } from '../../cli/yaml-schema.ts';
import { generatedChunks, sharedCorpusChunks } from '../helpers/corpus-chunks.ts';
import { renderTree, type Tree } from '../helpers/yaml-trees.ts';

/** Every pointer into `value`, plus ones that go one step past what is there. */
function pointers(value: unknown, prefix = ''): string[] {
  const out = [prefix, `${prefix}/missing`, `${prefix}/0`, `${prefix}/01`];
  if (value === null || typeof value !== 'object') return out;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) out.push(...pointers(v, `${prefix}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

/**
 * For a document the fast reader reads: the walking Locator gives the kept-positions Locator's
 * answer for every pointer. Returns how many pointers the walk answered itself, and of how many.
 */
function walksAlike(text: string): { walked: number; all: number } {
  const read = fastLoad(text, KUBECTL_YAML_SCHEMA, true);
  if (!read?.pos) return { walked: 0, all: 0 };
  const kept = new Locator({ text, startLine: 3, positions: read.pos });
  const walking = new Locator({ text, startLine: 3, blockStyle: true });
  let walked = 0;
  const all = pointers(read.value);
  for (const p of all) {
    if (walkToPointer(text, p, KUBECTL_YAML_SCHEMA) !== undefined) walked++;
    expect(walking.locate(p), `${p} in\n${text}`).to.deep.equal(kept.locate(p));
  }
  expect(new Locator({ text, startLine: 3, blockStyle: true }).documentStart()).to.deep.equal(kept.documentStart());
  return { walked, all: all.length };
}

describe('Locator: walking to a pointer in a large block-style document', () => {
  it('answers every pointer of a generated corpus itself, as the kept positions do', () => {
    let walked = 0;
    let all = 0;
    for (const chunk of generatedChunks(5, 120)) {
      const r = walksAlike(chunk.text);
      walked += r.walked;
      all += r.all;
    }
    expect(all).to.be.greaterThan(10_000);
    expect(walked).to.equal(all);
  });

  it('agrees on every document of the shared corpus the fast reader reads', function () {
    const chunks = sharedCorpusChunks();
    if (!chunks) this.skip();
    let all = 0;
    for (const chunk of chunks) all += walksAlike(chunk.text).all;
    expect(all).to.be.greaterThan(500);
  });

  const cases: [string, string, string | undefined][] = [
    ['a:\n  b: 1\nc:\n- x\n- y: 2\n  z: 3\n', '/c/1/z', 'z'],
    ['a:\n  b: 1\nc:\n- x\n- y: 2\n  z: 3\n', '/c/5', 'c'],
    ['# head\n---\nk: v # c\nl:\n  # inner\n  - 1\n', '/l/0', '1'],
    ['k: "a: b"\nl: 2\n', '/l', 'l'],
    ['k: \'it\'\'s\'\nl: 2\n', '/l', 'l'],
    ['on: x\n', '/true', 'on'], // kubectl's YAML 1.1 reading: the key is true
    ['a:\n  - - x\n', '/a/0/0', undefined], // nested inline sequence: read instead
    ['a: {b: 1}\nc: 2\n', '/c', undefined], // flow mapping on the way
    ['a: "x\n  y"\nc: 2\n', '/c', undefined], // quoted over two lines
    ['a: |\n  text\nc: 2\n', '/c', undefined], // block scalar
    ['a: &x 1\nc: *x\n', '/c', undefined], // anchor
    ['"q": 1\n', '/q', undefined], // quoted key
    ['a:\n-\n  b: 1\n', '/a/0/b', 'b'],
    ['a:\n-\n\nb: 1\n', '/b', 'b'], // an empty item off the way
    ['l:\n- "a": 1\n  b: 2\n', '/l/0/b', undefined], // an item's quoted key: read instead
    ["x:\n  -  'qa': a\n     b: c\n", '/x/0/b', undefined],
    ['l:\n- "a"\n- b: 2\n', '/l/1/b', 'b'], // a quoted scalar item is not a key
    ['l:\n- "a \\" b" # c\n- b: 2\n', '/l/1/b', 'b'],
  ];
  for (const [text, ptr, want] of cases) {
    it(`${JSON.stringify(text)} ${ptr} -> ${want === undefined ? 'reads instead' : JSON.stringify(want)}`, () => {
      const at = walkToPointer(text, ptr, KUBECTL_YAML_SCHEMA);
      if (want === undefined) expect(at).to.equal(undefined);
      else expect(text.slice(at, at! + want.length)).to.equal(want);
    });
  }

  it('agrees with the kept positions on random block documents', () => {
    let walked = 0;
    fc.assert(
      fc.property(randomDocument(), (text) => {
        walked += walksAlike(text).walked;
      }),
      { numRuns: 600 },
    );
    expect(walked).to.be.greaterThan(2000); // the comparison must not be vacuous
  });

  it('places the findings of a large document (no kept positions) as the kept positions do', () => {
    const lines = ['apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice', 'metadata:', '  name: big', '  uid: 7d1f', 'addressType: IPv4', 'endpoints:'];
    for (let i = 0; i < 1200; i++) lines.push(`- addresses:`, `  - 10.0.${i >> 8}.${i & 255}`, `  conditions: {}`);
    lines.push('ports:', '- name: http', '  port: 80');
    const text = lines.join('\n') + '\n';
    const chunk: Chunk = { text, startLine: 10 };
    parseChunk(chunk, 0);
    expect(chunk.positions).to.equal(undefined);
    expect(chunk.blockStyle).to.equal(true);
    const read = fastLoad(text, KUBECTL_YAML_SCHEMA, true)!;
    const kept = new Locator({ text, startLine: 10, positions: read.pos });
    const walking = new Locator(chunk);
    for (const p of ['/metadata/uid', '/endpoints/1199/addresses/0', '/endpoints/600/conditions', '/ports/0/name', '/ports/3', '/nope']) {
      expect(walking.locate(p), p).to.deep.equal(kept.locate(p));
    }
    expect(walking.locate('/metadata/uid')).to.deep.equal({ line: 15, column: 3 });
  });
});

const KEYS = ['a', 'b', 'name', 'f:metadata', 'on', 'yes', '1', '0x10', 'null', 'k:{"x":"y"}', 'c', '"q k"', "'s k'"];
const SCALARS = ['web', 'yes', 'on', '1', '0x1F', '10.0.0.1', 'fd00::1', '"d: e"', "'it''s'", '{}', '[]', 'a #b', '~', ''];

function randomDocument(): fc.Arbitrary<string> {
  const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 4, depthIdentifier: 'tree' },
      fc.constantFrom(...SCALARS),
      fc.record({ map: fc.uniqueArray(fc.tuple(fc.constantFrom(...KEYS), tie('tree')), { minLength: 1, maxLength: 4, selector: ([k]) => k }) }),
      fc.record({ seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    ),
  }));
  return fc
    .tuple(tree.filter((t) => typeof t !== 'string'), fc.integer({ min: 1, max: 3 }), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([t, step, flat, compact, comments]) => renderTree(t, 0, step, flat, compact, comments));
}
