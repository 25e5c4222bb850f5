import { describe, it } from 'mocha';
import { expect } from 'chai';
import rule from '../../../policies/rules/api-version.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice, service } from '../../helpers/fixtures.ts';
import { evaluate } from '../../../policies/engine.ts';
import { createPolicy } from '../../../policies/policy.ts';

const versioned = (apiVersion: unknown) => slice({ apiVersion });
const AT = (messageId: string) => ({ messageId, path: '/apiVersion', apiPath: 'apiVersion' });

ruleTester.run(rule, {
  valid: [
    slice({}),
    // other kinds are not this rule's business
    service(),
    { ...service(), apiVersion: 'v1beta1' },
    { apiVersion: 'discovery.k8s.io/v1beta1', kind: 'EndpointSliceList', items: [] },
  ],
  invalid: [
    { object: versioned('discovery.k8s.io/v1beta1'), findings: [{ ...AT('removed'), message: 'not served since Kubernetes 1.25' }] },
    { object: versioned('discovery.k8s.io/v1alpha1'), findings: [{ ...AT('removed'), message: '1.17' }] },
    { object: versioned(undefined), findings: [AT('missing')] },
    { object: versioned(''), findings: [AT('missing')] },
    { object: versioned(null), findings: [AT('missing')] },
    { object: versioned('v1'), findings: [AT('notServed')], name: 'core v1 has no EndpointSlice' },
    { object: versioned('discovery.k8s.io/V1'), findings: [AT('notServed')], name: 'case-sensitive' },
    { object: versioned('discovery.k8s.io/v2'), findings: [AT('notServed')] },
    { object: versioned(1), findings: [AT('notServed')] },
    { object: versioned('constructor'), findings: [AT('notServed')], name: 'no prototype lookups' },
    ...(['1.32', '1.37'] as const).map((kubeVersion) => ({ object: versioned('discovery.k8s.io/v1beta1'), context: { kubeVersion }, findings: [AT('removed')], name: `same on ${kubeVersion}` })),
  ],
});

describe('rule api-version in the whole policy', () => {
  it('is the only finding on an unserved version (no other rule runs there)', () => {
    const v1beta1 = versioned('discovery.k8s.io/v1beta1');
    const bad = { ...v1beta1, metadata: { name: 'Bad_Name' }, addressType: 'IP', endpoints: [{ addresses: ['x'], topology: {} }] };
    const report = evaluate(bad, createPolicy(), {});
    expect(report.findings.map((f) => f.rule)).to.deep.equal(['api-version']);
    expect(report.allowed).to.equal(false);
    expect(report.judged).to.equal(false);
  });
});
