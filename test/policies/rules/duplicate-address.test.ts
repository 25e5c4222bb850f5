import rule from '../../../policies/rules/duplicate-address.ts';
import { ruleTester } from '../../helpers/rule-tester.ts';
import { slice } from '../../helpers/fixtures.ts';

const eps = (...addresses: string[][]) => addresses.map((a) => ({ addresses: a }));

ruleTester.run(rule, {
  valid: [
    slice({ endpoints: 5 }),
    { object: slice({ endpoints: eps(['10.0.0.1', '10.0.0.1']) }), name: 'a repeat inside one endpoint (multi-address-endpoint covers it)' },
    { object: slice({ addressType: 'FQDN', endpoints: eps(['a.example.com'], ['b.example.com']) }) },
  ],
  invalid: [
    {
      object: slice({ endpoints: eps(['10.0.0.1'], ['10.0.0.2'], ['10.0.0.1']) }),
      findings: [{ messageId: 'inSlice', path: '/endpoints/2/addresses/0', apiPath: 'endpoints[2].addresses[0]', message: 'Address "10.0.0.1" is also at endpoints[0]' }],
    },
    { object: slice({ addressType: 'IPv6', endpoints: eps(['2001:db8::1'], ['2001:DB8:0::1']) }), findings: [{ messageId: 'inSlice', path: '/endpoints/1/addresses/0' }], name: 'IPs compare in canonical form' },
    { object: slice({ addressType: 'FQDN', endpoints: eps(['a.example.com'], ['A.example.com.']) }), findings: [{ messageId: 'inSlice', path: '/endpoints/1/addresses/0' }], name: 'names compare without case and trailing dot' },
  ],
});
