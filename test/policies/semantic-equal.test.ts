import { expect } from 'chai';
import { semanticEqual } from '../../policies/semantic-equal.ts';

describe('semanticEqual (apimachinery Semantic.DeepEqual on the decoded structs)', () => {
  const equal: [string, unknown, unknown][] = [
    ['null and absent', { a: null }, {}],
    ['an empty list and an absent one', { addresses: [] }, {}],
    ['an empty struct value and an absent one', [{ addresses: ['1.2.3.4'], conditions: {} }], [{ addresses: ['1.2.3.4'] }]],
    ['an empty map and an absent one', [{ deprecatedTopology: {} }], [{}]],
    ['conditions with only nil pointers and no conditions', [{ conditions: { ready: null } }], [{}]],
    ['null and an empty list at the top', null, []],
  ];
  for (const [what, a, b] of equal) it(`equates ${what}`, () => {
    expect(semanticEqual(a, b)).to.equal(true);
    expect(semanticEqual(b, a)).to.equal(true);
  });
  const different: [string, unknown, unknown][] = [
    ['an empty pointer struct (hints) and an absent one', [{ hints: {} }], [{}]],
    ['an empty targetRef and an absent one', [{ targetRef: {} }], [{}]],
    ['"" and absent (a *string)', [{ nodeName: '' }], [{}]],
    ['false and absent (a *bool)', [{ conditions: { ready: false } }], [{}]],
    ['reordered lists', [{ addresses: ['a'] }, { addresses: ['b'] }], [{ addresses: ['b'] }, { addresses: ['a'] }]],
    ['1 and "1"', { a: 1 }, { a: '1' }],
  ];
  for (const [what, a, b] of different) it(`tells apart ${what}`, () => {
    expect(semanticEqual(a, b)).to.equal(false);
    expect(semanticEqual(b, a)).to.equal(false);
  });
});
