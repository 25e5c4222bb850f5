import { describe, it } from 'mocha';
import { expect } from 'chai';
import { ENDPOINT_SLICE_SCHEMA, apiPath, decodeEndpointSlice } from '../../policies/schema.ts';
import { slice } from '../helpers/fixtures.ts';

type Schema = Record<string, unknown>;
const HEAD = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice' };

/** Every place a value can sit in the schema, as [API path, an object with `leaf` placed there]. */
function everyPlace(leaf: unknown, schema: Schema = ENDPOINT_SLICE_SCHEMA, path = ''): [string, unknown][] {
  const out: [string, unknown][] = [];
  const props = schema.properties as Record<string, Schema> | undefined;
  for (const [key, child] of Object.entries(props ?? {})) {
    const here = path ? `${path}.${key}` : key;
    out.push([here, { [key]: leaf }]);
    for (const [p, inner] of everyPlace(leaf, child, here)) out.push([p, { [key]: inner }]);
  }
  if (schema.items) {
    out.push([`${path}[0]`, [leaf]]);
    for (const [p, inner] of everyPlace(leaf, schema.items as Schema, `${path}[0]`)) out.push([p, [inner]]);
  }
  return out;
}

const kinds = (o: unknown) => decodeEndpointSlice(o).problems.map((p) => `${p.kind} ${p.pointer} ${p.path}`);

describe('decode gate (policies/schema.ts)', () => {
  describe('accepts what the API server decodes', () => {
    it('the fixture slice and a minimal one', () => {
      expect(kinds(slice({}))).to.deep.equal([]);
      expect(kinds({ ...HEAD })).to.deep.equal([]);
      expect(kinds({})).to.deep.equal([]);
    });

    it('null in every place a value can be (null is absent)', () => {
      const places = everyPlace(null);
      expect(places.length).to.be.greaterThan(60);
      for (const [path, object] of places) expect(kinds({ ...HEAD, ...(object as object) }), path).to.deep.equal([]);
    });

    it('an empty object or list in every place that holds one', () => {
      for (const [path, object] of everyPlace({})) {
        const problems = decodeEndpointSlice({ ...HEAD, ...(object as object) }).problems;
        // only places that hold something else may complain, and only as a type problem
        for (const p of problems) expect(p.kind, path).to.equal('field-type');
      }
      expect(kinds({ ...HEAD, metadata: {}, ports: [], endpoints: [{}] })).to.deep.equal([]);
    });

    it('a port without port, an endpoint without conditions, absent lists, null items', () => {
      expect(kinds(slice({ ports: [{}, { name: 'x' }, null] }))).to.deep.equal([]);
      expect(kinds(slice({ endpoints: [{ addresses: ['10.0.0.1'] }, null] }))).to.deep.equal([]);
      expect(kinds({ ...HEAD, metadata: { name: 'a' }, addressType: 'IPv4' })).to.deep.equal([]);
    });

    it('any keys in maps and any JSON in FieldsV1', () => {
      const o = slice({ metadata: { labels: { 'a/b': 'c' }, annotations: { '~x/y': '' }, managedFields: [{ fieldsV1: { 'f:x': [1, 'two', null] } }] } });
      expect(kinds(o)).to.deep.equal([]);
    });

    it('int32 and int64 at their limits', () => {
      expect(kinds(slice({ ports: [{ port: 2147483647 }, { port: -2147483648 }] }))).to.deep.equal([]);
      expect(kinds(slice({ metadata: { generation: -9007199254740991, deletionGracePeriodSeconds: 9007199254740991 } }))).to.deep.equal([]);
    });
  });

  describe('refuses', () => {
    it('an unknown field in every object the schema has', () => {
      const objects = everyPlace({ notAField: 1 }).filter(([, o]) => JSON.stringify(o).includes('notAField'));
      let unknown = 0;
      for (const [path, object] of objects) {
        const problems = decodeEndpointSlice({ ...HEAD, ...(object as object) }).problems;
        const hit = problems.find((p) => p.kind === 'unknown-field');
        if (hit) {
          unknown++;
          expect(hit.path, path).to.equal(`${path}.notAField`);
          expect(hit.field).to.equal('notAField');
        }
      }
      // every nested struct: metadata, owner/managed-field entries, ports, endpoints, conditions,
      // targetRef, hints, forZones, forNodes (the top level is the next test's)
      expect(unknown).to.equal(10);
    });

    it('unknown fields at their own pointer, escaped, without descending into them', () => {
      const o = slice({ spec: { a: 1 }, 'x/y~z': 1, endpoints: [{ addresses: ['10.0.0.1'], topology: { a: 'b' } }] });
      expect(kinds(o)).to.have.members(['unknown-field /spec spec', 'unknown-field /x~1y~0z x/y~z', 'unknown-field /endpoints/0/topology endpoints[0].topology']);
    });

    it('wrong JSON types, with what was found and what is needed', () => {
      const [p] = decodeEndpointSlice(slice({ ports: [{ port: '80' }] })).problems;
      expect(p).to.include({ kind: 'field-type', pointer: '/ports/0/port', path: 'ports[0].port', found: 'the string "80"' });
      expect(p.expected).to.match(/32-bit integer/);
      expect(kinds({ ...slice({}), endpoints: { addresses: [] } })).to.deep.equal(['field-type /endpoints endpoints']);
      expect(kinds(slice({ metadata: { labels: { 'a/b': 1 } } }))).to.deep.equal(['field-type /metadata/labels/a~1b metadata.labels[a/b]']);
    });

    it('one problem per value even when several keywords fail', () => {
      expect(kinds(slice({ ports: [{ port: 3000000000.5 }] }))).to.deep.equal(['field-type /ports/0/port ports[0].port']);
    });

    it('reports every problem (allErrors)', () => {
      const o = slice({ a: 1, addressType: 4, ports: [{ port: 'x' }, { port: 'y' }], metadata: { name: 1, labels: { a: 2 } } });
      expect(kinds(o)).to.have.length(6);
    });

    it('a YAML timestamp object where a string belongs', () => {
      const [p] = decodeEndpointSlice(slice({ metadata: { creationTimestamp: new Date('2024-05-01T10:00:00Z') } })).problems;
      expect(p.found).to.equal('the YAML timestamp 2024-05-01T10:00:00.000Z');
    });
  });

  describe('apiPath', () => {
    it('writes list indexes and map keys as the API server does', () => {
      expect(apiPath('/endpoints/0/addresses/1')).to.equal('endpoints[0].addresses[1]');
      expect(apiPath('/metadata/annotations/example.com~1x')).to.equal('metadata.annotations[example.com/x]');
      expect(apiPath('/endpoints/2/deprecatedTopology/zone')).to.equal('endpoints[2].deprecatedTopology[zone]');
      expect(apiPath('/unknown/0/x')).to.equal('unknown.0.x');
      expect(apiPath('')).to.equal('');
    });
  });

  it('gives the same answer every time (compiled once, no state between calls)', () => {
    const o = slice({ spec: 1 });
    expect(decodeEndpointSlice(o)).to.deep.equal(decodeEndpointSlice(o));
    expect(decodeEndpointSlice(slice({})).problems).to.deep.equal([]);
  });
});
