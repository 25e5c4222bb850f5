import rule from '../../../policies/rules/managed-by-missing.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const name = { 'kubernetes.io/service-name': 'example' };
const labelled = (value: string) => slice({ labels: { ...name, 'endpointslice.kubernetes.io/managed-by': value } });

ruleTester.run(rule, {
  valid: [
    slice(),
    labelled('Helm'),
    { object: labelled('endpointslice-controller.k8s.io'), name: 'a controller value is managed-by-reserved\'s concern' },
  ],
  invalid: [
    {
      object: slice({ labels: name }),
      findings: [{ messageId: 'missing', path: '/metadata/labels', apiPath: 'metadata.labels[endpointslice.kubernetes.io/managed-by]' }],
      output: labelled('sliceguard'),
    },
    {
      object: slice({ labels: name }),
      options: { value: 'platform-team' },
      findings: [{ messageId: 'missing', path: '/metadata/labels' }],
      output: labelled('platform-team'),
      name: 'the value option',
    },
    { object: labelled(''), findings: [{ messageId: 'missing', path: '/metadata/labels' }], output: labelled('sliceguard'), name: 'an empty value names no one' },
    {
      object: slice({ metadata: { name: 'x', namespace: 'default', labels: undefined } }),
      findings: [{ messageId: 'missing', path: '/metadata' }],
      output: slice({ metadata: { name: 'x', namespace: 'default', labels: { 'endpointslice.kubernetes.io/managed-by': 'sliceguard' } } }),
      name: 'no labels map: the fix adds one',
    },
    {
      object: slice({ metadata: { name: 'x', namespace: 'default', labels: null } }),
      findings: [{ messageId: 'missing', path: '/metadata' }],
      output: slice({ metadata: { name: 'x', namespace: 'default', labels: { 'endpointslice.kubernetes.io/managed-by': 'sliceguard' } } }),
      name: 'labels: null is replaced',
    },
  ],
});
