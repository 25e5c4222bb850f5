import rule from '../../../policies/rules/service-name-label.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

ruleTester.run(rule, {
  valid: [
    slice(),
    { object: slice({ labels: { 'multicluster.kubernetes.io/service-name': 'checkout' } }), name: 'Multi-Cluster Services import' },
    { object: slice({ apiVersion: 'discovery.k8s.io/v1beta1', labels: {} }), name: 'unserved versions get only api-version' },
  ],
  invalid: [
    { object: slice({ labels: {} }), findings: [{ messageId: 'missing', path: '/metadata/labels' }] },
    { object: slice({ metadata: { name: 'x', namespace: 'default', labels: undefined } }), findings: [{ messageId: 'missing', path: '/metadata' }], name: 'no labels map' },
    {
      object: slice({ labels: { 'kubernetes.io/service-name': '' } }),
      findings: [{ messageId: 'empty', path: '/metadata/labels/kubernetes.io~1service-name', apiPath: 'metadata.labels[kubernetes.io/service-name]' }],
    },
    { object: slice({ labels: { 'multicluster.kubernetes.io/service-name': '' } }), findings: [{ messageId: 'missing', path: '/metadata/labels' }], name: 'an empty MCS label exempts nothing' },
  ],
});
