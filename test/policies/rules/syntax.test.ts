import { describe, it } from 'mocha';
import { expect } from 'chai';
import rule from '../../../policies/rules/syntax.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

// The CLI reports documents that do not parse under this id (test/cli covers that); the rule
// itself only carries the metadata for `sliceguard rules` and never runs on an object.
ruleTester.run(rule, {
  valid: [slice({}), slice({ spec: {} }), { apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSlice' }],
  invalid: [],
});

describe('rule syntax metadata', () => {
  it('runs on no kind and always denies', () => {
    expect(rule.meta.kinds).to.deep.equal([]);
    expect(rule.meta.category).to.equal('apiserver');
    expect(rule.meta.defaultSeverity).to.equal('deny');
  });
});
