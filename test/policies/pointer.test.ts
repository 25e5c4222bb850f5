import { expect } from 'chai';
import { pointer, parsePointer, pointerToPath, getAt } from '../../policies/pointer.ts';

describe('pointer', () => {
  it('escapes / and ~ in segments and round-trips', () => {
    const p = pointer('metadata', 'labels', 'kubernetes.io/service-name~x');
    expect(p).to.equal('/metadata/labels/kubernetes.io~1service-name~0x');
    expect(parsePointer(p)).to.deep.equal(['metadata', 'labels', 'kubernetes.io/service-name~x']);
  });
  const paths: [string, string][] = [
    ['/endpoints/0/addresses/1', 'endpoints[0].addresses[1]'],
    ['/ports/2/name', 'ports[2].name'],
    ['/metadata/labels', 'metadata.labels'],
    ['/addressType', 'addressType'],
    ['/endpoints/0/hints/forZones/3/name', 'endpoints[0].hints.forZones[3].name'],
    ['', ''],
  ];
  for (const [ptr, path] of paths) {
    it(`converts ${ptr || '(root)'} to the API server path ${path || '(empty)'}`, () => expect(pointerToPath(ptr)).to.equal(path));
  }
  it('reads values and answers undefined for missing steps', () => {
    const doc = { a: [{ 'b/c': 1 }] };
    expect(getAt(doc, '/a/0/b~1c')).to.equal(1);
    expect(getAt(doc, '/a/1/x')).to.equal(undefined);
    expect(getAt(doc, '/a/0/__proto__')).to.equal(undefined);
  });
});
