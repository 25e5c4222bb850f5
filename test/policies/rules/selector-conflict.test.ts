import rule from '../../../policies/rules/selector-conflict.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { service, slice } from '../../helpers/fixtures.ts';
import { withServices } from '../../helpers/services.ts';

const selected = withServices(service({ selector: { app: 'web' } }));

ruleTester.run(rule, {
  valid: [
    { object: slice(), name: 'no Service source' },
    { object: slice(), context: withServices(service()), name: 'selectorless Service: hand-written slices are the way' },
    { object: slice(), context: { ...selected, mode: 'webhook', userInfo: { username: 'system:serviceaccount:kube-system:endpointslice-controller' } }, name: 'the controller\'s own write' },
    { object: slice(), options: { controllerUsers: ['system:k3s-controller'] }, context: { ...selected, mode: 'webhook', userInfo: { username: 'system:k3s-controller' } } },
  ],
  invalid: [
    {
      object: slice(),
      context: selected,
      findings: [{ messageId: 'hasSelector', path: '/metadata/labels/kubernetes.io~1service-name', apiPath: 'metadata.labels[kubernetes.io/service-name]', message: 'Service example has a selector' }],
    },
    { object: slice(), context: { ...selected, mode: 'webhook', userInfo: { username: 'alice' } }, findings: [{ messageId: 'hasSelector', path: '/metadata/labels/kubernetes.io~1service-name' }] },
    { object: slice({ endpoints: [] }), context: selected, findings: [{ messageId: 'hasSelector', path: '/metadata/labels/kubernetes.io~1service-name' }], name: 'even without endpoints' },
  ],
});
