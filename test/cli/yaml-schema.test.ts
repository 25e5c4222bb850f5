import { describe, it } from 'mocha';
import { expect } from 'chai';
import yaml from 'js-yaml';
import { KUBECTL_YAML_SCHEMA } from '../../cli/yaml-schema.ts';
import { parseYamlDocuments } from '../../cli/documents.ts';

const load = (text: string) => yaml.load(text, { schema: KUBECTL_YAML_SCHEMA });

describe('kubectl YAML schema (cli/yaml-schema.ts)', () => {
  it('reads every goyaml.v2 boolean spelling as a boolean', () => {
    for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) expect(load(`a: ${s}`), s).to.deep.equal({ a: true });
    for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) expect(load(`a: ${s}`), s).to.deep.equal({ a: false });
  });

  it('keeps other and quoted scalars as strings', () => {
    expect(load('a: "yes"\nb: yEs\nc: onn\nd: tRue\ne: constructor')).to.deep.equal({ a: 'yes', b: 'yEs', c: 'onn', d: 'tRue', e: 'constructor' });
  });

  it('keeps timestamps as the strings they were written as', () => {
    expect(load('a: 2024-05-01\nb: 2024-05-01T10:00:00Z\nc: 2024-05-01 10:00:00.5 +02:00')).to.deep.equal({
      a: '2024-05-01',
      b: '2024-05-01T10:00:00Z',
      c: '2024-05-01 10:00:00.5 +02:00',
    });
  });

  it('still reads null, numbers and merge keys', () => {
    expect(load('a: ~\nb: null\nc: 0x1F\nd: 1e3\ne: .inf\nbase: &b {x: 1}\nm: {<<: *b, z: 2}')).to.deep.equal({
      a: null, b: null, c: 31, d: 1000, e: Infinity, base: { x: 1 }, m: { x: 1, z: 2 },
    });
    // a key `y` is the boolean true, which sigs.k8s.io/yaml writes as the JSON key "true"
    expect(load('y: 1')).to.deep.equal({ true: 1 });
  });

  it('is what the CLI parses manifests with', () => {
    const [doc] = parseYamlDocuments('metadata:\n  labels: {release: 2024-05-01}\nendpoints:\n- conditions: {ready: yes}\n');
    expect(doc.value).to.deep.equal({ metadata: { labels: { release: '2024-05-01' } }, endpoints: [{ conditions: { ready: true } }] });
  });
});
