import rule from '../../../policies/rules/multi-address-endpoint.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

ruleTester.run(rule, {
  valid: [slice({ endpoints: 3 }), slice({ endpoints: [{ addresses: [] }, {}] }), slice({ endpoints: null })],
  invalid: [
    {
      object: slice({ endpoints: [{ addresses: ['10.4.5.6'] }, { addresses: ['10.4.5.6', '10.1.2.3'] }] }),
      findings: [{ messageId: 'several', path: '/endpoints/1/addresses', apiPath: 'endpoints[1].addresses', message: 'Endpoint has 2 addresses; kube-proxy uses only the first, 10.4.5.6.' }],
    },
    { object: slice({ endpoints: [{ addresses: ['10.69.0.18', '10.69.1.132', '10.69.0.205'] }] }), findings: [{ messageId: 'several', path: '/endpoints/0/addresses', message: '3 addresses' }], name: 'cybozu-go/cke#505' },
  ],
});
