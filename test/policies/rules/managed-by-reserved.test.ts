import rule from '../../../policies/rules/managed-by-reserved.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const claiming = (value = 'endpointslice-controller.k8s.io') =>
  slice({ labels: { 'kubernetes.io/service-name': 'example', 'endpointslice.kubernetes.io/managed-by': value } });
const webhook = (username: string) => ({ mode: 'webhook' as const, userInfo: { username } });

ruleTester.run(rule, {
  valid: [
    slice(),
    { object: claiming(), context: webhook('system:serviceaccount:kube-system:endpointslice-controller'), name: 'the controller itself' },
    { object: claiming('endpointslicemirroring-controller.k8s.io'), context: webhook('system:serviceaccount:kube-system:endpointslicemirroring-controller') },
    { object: claiming(), context: webhook('system:kube-controller-manager'), name: 'kube-controller-manager without per-controller credentials' },
    { object: claiming(), options: { controllerUsers: ['system:k3s-controller'] }, context: webhook('system:k3s-controller'), name: 'an extra controller identity' },
    {
      object: claiming(),
      context: { ...webhook('system:serviceaccount:kube-system:generic-garbage-collector'), operation: 'UPDATE', oldObject: claiming() },
      name: 'an UPDATE that keeps an existing claim',
    },
  ],
  invalid: [
    {
      object: claiming(),
      findings: [{ messageId: 'reserved', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by', apiPath: 'metadata.labels[endpointslice.kubernetes.io/managed-by]', message: '"endpointslice-controller.k8s.io", reserved for that controller' }],
      name: 'offline, every file is hand-written',
    },
    { object: claiming('endpointslicemirroring-controller.k8s.io'), findings: [{ messageId: 'reserved', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by' }] },
    { object: claiming(), context: webhook('alice'), findings: [{ messageId: 'reserved', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by' }], name: 'a person through the webhook' },
    {
      object: claiming(),
      context: { ...webhook('alice'), operation: 'UPDATE', oldObject: slice() },
      findings: [{ messageId: 'reserved', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by' }],
      name: 'an UPDATE that makes a new claim',
    },
    {
      object: claiming(),
      context: { operation: 'UPDATE', oldObject: claiming() },
      findings: [{ messageId: 'reserved', path: '/metadata/labels/endpointslice.kubernetes.io~1managed-by' }],
      name: 'offline there is no previous claim to keep',
    },
  ],
});
