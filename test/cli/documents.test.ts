import { expect } from 'chai';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { byteSource, splitYamlStream, yamlSpans, parseYamlDocuments, parseJsonDocument, jsonErrorOffset, expandedSize } from '../../cli/documents.ts';

/** What js-yaml's loadAll makes of a stream: the reference the splitter must match. */
function loadAllCount(text: string): number | undefined {
  try {
    return yaml.loadAll(text).length;
  } catch {
    return undefined;
  }
}

describe('splitYamlStream', () => {
  const cases: [string, number][] = [
    ['', 0],
    ['\n', 0],
    ['# only a comment\n', 1],
    ['a: 1', 1],
    ['---\na: 1', 1],
    ['# head\n---\na: 1\n', 1],
    ['a: 1\n---\nb: 2', 2],
    ['a: 1\n---\n', 2],
    ['a: 1\n---', 2],
    ['---\n---\na: 1', 2],
    ['a: 1\n---\n# only comment\n---\nb: 2', 3],
    ['a: 1\n...\n---\nb: 1', 2],
    ['a: 1\n...\nb: 2', 2],
    ['a: 1\n...\n# c\n', 1],
    ['--- a: 1', 1],
    ['%YAML 1.2\n---\na: 1', 1],
    ['a: |\n  text\n  ---not a marker\nb: 2', 1],
    ['a: 1\r\n---\r\nb: 2\r\n', 2],
    ['  \n', 0],
    ['\n\n', 1],
    ['...\n---', 2],
    ['...\n...', 2],
    ['a: 1\n...\n...\n', 2],
    ['a: 1\n...\n%YAML 1.2\n---\nb: 1', 2],
  ];
  for (const [text, n] of cases) {
    it(`counts ${JSON.stringify(text)} as ${n} document(s), like js-yaml loadAll`, () => {
      expect(splitYamlStream(text).length).to.equal(n);
      expect(loadAllCount(text)).to.equal(n);
    });
  }

  it('agrees with js-yaml loadAll on generated streams', () => {
    const line = fc.constantFrom('---', '...', '--- x: 1', '--- # c', 'a: 1', 'b: [1, 2]', '# note', '', '  ', '- item', 'k: |', '  block', '%YAML 1.2', 'c: d\r');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const expected = loadAllCount(text);
        if (expected === undefined) return; // js-yaml refuses the stream; per-document parsing reports it instead
        const docs = parseYamlDocuments(text);
        expect(docs.length, JSON.stringify(text)).to.equal(expected);
        expect(docs.map((d) => d.value)).to.deep.equal(yaml.loadAll(text));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  /** The documents of `text` read from its UTF-8 bytes, each decoded on its own (as cli/sources.ts reads files). */
  const fromBytes = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    return yamlSpans(byteSource(bytes)).map((s) => ({ text: bytes.toString('utf8', s.start, s.end), startLine: s.startLine }));
  };

  for (const [text] of cases) {
    it(`finds the same documents in the UTF-8 bytes of ${JSON.stringify(text)}`, () => {
      expect(fromBytes(text)).to.deep.equal(splitYamlStream(text));
    });
  }

  it('finds the same documents in UTF-8 bytes as in the text, non-ASCII included', () => {
    // Non-ASCII around markers and separators: a no-break space (\s to the marker-line test, not
    // a separator), a byte-order mark, multi-byte names and comments.
    const line = fc.constantFrom('---', '...', '--- x: 1', '--- # c', '---\u00a0', '--- \u00a0# é', 'a: 1', 'nåme: ü', '# nöte', '\ufeffa: 1', '\u00a0', '', '  ', '- item', 'k: |', '  bløck', '%YAML 1.2', 'c: d\r', '€: 😀');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.boolean(), (lines, newline) => {
        const text = lines.join('\n') + (newline ? '\n' : '');
        expect(fromBytes(text), JSON.stringify(text)).to.deep.equal(splitYamlStream(text));
      }),
      { numRuns: 3000, seed: 7 },
    );
  });

  it('records the file line where each document starts', () => {
    const chunks = splitYamlStream('# c\n---\na: 1\n---\nb: 2\n...\nc: 3\n');
    expect(chunks.map((c) => c.startLine)).to.deep.equal([0, 3, 6]);
  });
});

describe('parseYamlDocuments', () => {
  it('turns a syntax error into a finding for that document only, with its file position', () => {
    const docs = parseYamlDocuments('a: 1\n---\nb: [1,\n---\nc: 3\n');
    expect(docs.map((d) => d.value)).to.deep.equal([{ a: 1 }, undefined, { c: 3 }]);
    expect(docs[1].syntaxError?.line).to.be.within(3, 4);
    expect(docs[1].syntaxError?.message).to.match(/^Unexpected end of the stream within a flow collection/);
  });
  it('reports duplicate keys as a syntax error, as strict decoding refuses them', () => {
    const [doc] = parseYamlDocuments('a: 1\na: 2\n');
    expect(doc.syntaxError?.message).to.match(/^Duplicated mapping key/);
    expect(doc.syntaxError?.line).to.equal(2);
  });
});

describe('parseJsonDocument', () => {
  it('parses JSON with JSON.parse', () => {
    expect(parseJsonDocument('{"a": [1, 2]}').value).to.deep.equal({ a: [1, 2] });
  });
  it('gives a line and column for broken JSON', () => {
    const doc = parseJsonDocument('{\n  "a": 1,\n  "b": }\n');
    expect(doc.syntaxError).to.include({ line: 3, column: 8 });
    expect(doc.syntaxError?.message).to.match(/^Invalid JSON: /);
  });
  it('finds the error offset of common JSON mistakes', () => {
    expect(jsonErrorOffset('{"a": 1,}')).to.equal(8);
    expect(jsonErrorOffset('[1, 2')).to.equal(5);
    expect(jsonErrorOffset('{"a": tru}')).to.equal(6);
    expect(jsonErrorOffset('{"a": 1} x')).to.equal(9);
  });
});

describe('hostile YAML', () => {
  it('refuses a billion-laughs document as a syntax error, quickly', () => {
    const lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const [doc] = parseYamlDocuments(lines.join('\n'));
    expect(doc.value).to.equal(undefined);
    expect(doc.syntaxError?.message).to.match(/^Document expands to more than 1000000 nodes through YAML aliases/);
  });
  it('accepts ordinary anchors and aliases', () => {
    const [doc] = parseYamlDocuments('c: &c {ready: true}\nendpoints:\n- conditions: *c\n- conditions: *c\n');
    expect(doc.syntaxError).to.equal(undefined);
    expect(expandedSize(doc.value, 100)).to.equal(10); // root, c{ready}, endpoints[2 x {conditions{ready}}]
  });
  it('turns nesting too deep for the parser into a syntax finding, not a crash', () => {
    const [doc] = parseYamlDocuments('a: ' + '['.repeat(50000) + ']'.repeat(50000));
    expect(doc.syntaxError?.message).to.equal('Document is nested too deeply to read');
  });
  it('keeps __proto__ keys as data', () => {
    const [doc] = parseYamlDocuments('__proto__: {polluted: true}\nconstructor: {prototype: {x: 1}}\n');
    expect(Object.prototype.hasOwnProperty.call(doc.value, '__proto__')).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });
});

describe('syntax error positions', () => {
  it('points an end-of-stream error at the document, not at the next document marker', () => {
    const docs = parseYamlDocuments('a: 1\n---\nb: [1,\n\n---\nc: 3\n');
    expect(docs[1].syntaxError).to.include({ line: 3, column: 7 });
  });
});
