import rule from '../../../policies/rules/service-not-found.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { service, slice } from '../../helpers/fixtures.ts';
import { withServices } from '../../helpers/services.ts';

ruleTester.run(rule, {
  valid: [
    { object: slice(), name: 'no Service source at all: silent' },
    { object: slice(), context: withServices(service()) },
    { object: slice({ metadata: { namespace: undefined } }), context: { ...withServices(service()), namespace: 'default' }, name: 'namespace from --namespace' },
    { object: slice({ labels: {} }), context: withServices(), name: 'no label: service-name-label reports it' },
  ],
  invalid: [
    {
      object: slice(),
      context: withServices(service({ namespace: 'other' })),
      findings: [{ messageId: 'notFound', path: '/metadata/labels/kubernetes.io~1service-name', apiPath: 'metadata.labels[kubernetes.io/service-name]', message: 'names Service "example", which does not exist in namespace default' }],
      name: 'the Service exists only in another namespace',
    },
    { object: slice(), context: withServices(), findings: [{ messageId: 'notFound', path: '/metadata/labels/kubernetes.io~1service-name' }], name: 'an empty Service source (--services given)' },
  ],
});
