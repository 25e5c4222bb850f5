import rule from '../../../policies/rules/legacy-endpoints.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'my-external-ip', namespace: 'webnews' }, subsets: [{ addresses: [{ ip: '45.35.72.106' }] }] };

ruleTester.run(rule, {
  valid: [
    slice(),
    { object: { ...endpoints, apiVersion: 'example.com/v1' }, name: 'another group\'s Endpoints kind' },
    { object: endpoints, context: { mode: 'webhook' }, name: 'offline only' },
  ],
  invalid: [
    {
      object: endpoints,
      findings: [{ messageId: 'legacy', path: '/kind', apiPath: 'kind', message: 'write an EndpointSlice labelled kubernetes.io/service-name=my-external-ip' }],
    },
  ],
});
