import { expect } from 'chai';
import { Locator } from '../../cli/locate.ts';
import { splitYamlStream } from '../../cli/documents.ts';

const yamlText = [
  '# header', //                                   1
  '---', //                                        2
  'apiVersion: discovery.k8s.io/v1', //            3
  'metadata:', //                                  4
  '  name: web', //                                5
  "  labels: {app: web, 'kubernetes.io/service-name': web}", // 6
  'endpoints:', //                                 7
  '- addresses: ["10.0.0.1", "10.0.0.2"]', //      8
  '  conditions: &c', //                           9
  '    ready: true', //                            10
  '-   addresses:', //                             11
  '    - 10.0.0.3', //                             12
  '    conditions: *c', //                         13
].join('\n');

describe('Locator', () => {
  const [chunk] = splitYamlStream(yamlText);
  const at = new Locator(chunk);
  const cases: [string, number, number][] = [
    ['', 3, 1],
    ['/apiVersion', 3, 1],
    ['/metadata/name', 5, 3],
    ['/metadata/labels', 6, 3],
    ['/metadata/labels/kubernetes.io~1service-name', 6, 22], // the opening quote
    ['/endpoints', 7, 1],
    ['/endpoints/0', 8, 3],
    ['/endpoints/0/addresses/1', 8, 27],
    ['/endpoints/1/addresses/0', 12, 7],
    ['/endpoints/1/conditions/ready', 13, 5], // inside an alias: the alias's own position
    ['/endpoints/1/hostname', 11, 5], // missing field: the nearest present parent
    ['/ports/0/name', 3, 1], // missing from the top: the document
  ];
  for (const [ptr, line, column] of cases) {
    it(`puts ${ptr || '(document)'} at ${line}:${column}`, () => expect(at.locate(ptr)).to.deep.equal({ line, column }));
  }

  it('locates inside JSON text too', () => {
    const json = '{\n  "kind": "EndpointSlice",\n  "endpoints": [\n    {"addresses": ["1.2.3.4"]}\n  ]\n}\n';
    const loc = new Locator({ text: json, startLine: 0 });
    expect(loc.locate('/endpoints/0/addresses/0')).to.deep.equal({ line: 4, column: 20 });
    expect(loc.locate('/kind')).to.deep.equal({ line: 2, column: 3 });
  });

  it('offsets positions by the line where the document starts in its file', () => {
    const chunks = splitYamlStream('a: 1\n---\nb:\n  c: 2\n');
    expect(new Locator(chunks[1]).locate('/b/c')).to.deep.equal({ line: 4, column: 3 });
  });
});
