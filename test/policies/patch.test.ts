import { expect } from 'chai';
import { applyPatch } from '../../policies/patch.ts';
import { deepFreeze } from '../helpers/fixtures.ts';

describe('applyPatch', () => {
  const doc = deepFreeze({ metadata: { labels: { a: '1' } }, list: [1, 2, 3] });
  it('adds, replaces, removes, moves and copies without touching the input', () => {
    const out = applyPatch(doc, [
      { op: 'add', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by', value: 'sliceguard' },
      { op: 'replace', path: '/list/0', value: 9 },
      { op: 'remove', path: '/list/1' },
      { op: 'add', path: '/list/-', value: 4 },
      { op: 'copy', from: '/list/0', path: '/first' },
      { op: 'move', from: '/metadata/labels/a', path: '/metadata/labels/b' },
    ]);
    expect(out).to.deep.equal({ metadata: { labels: { 'endpointslice.kubernetes.io/managed-by': 'sliceguard', b: '1' } }, list: [9, 3, 4], first: 9 });
    expect(doc).to.deep.equal({ metadata: { labels: { a: '1' } }, list: [1, 2, 3] });
  });
  it('refuses to replace or remove what is not there, and failed tests', () => {
    expect(() => applyPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).to.throw(/no value at \/nope/);
    expect(() => applyPatch(doc, [{ op: 'remove', path: '/list/7' }])).to.throw(/no value/);
    expect(() => applyPatch(doc, [{ op: 'test', path: '/list/0', value: 2 }])).to.throw(/test failed/);
  });
  it('sets a __proto__ key as data, never as the prototype', () => {
    const out = applyPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(out, '__proto__')).to.equal(true);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
  });
});
